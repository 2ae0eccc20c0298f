/**
 * Not a failure: something a delivery needs is still on its way (the thread parent being
 * posted, another worker sending the same ticket's messages). The job tries again after `waitMs`.
 */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
  constructor(
    message: string,
    readonly waitMs: number,
  ) {
    super(message);
  }
}
