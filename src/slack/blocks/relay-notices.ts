/** Short replies from Helpnet in a DM, about a message it did or did not pass on. */
export const RELAY_NOTICES = {
  outsideThread: ':information_source: To write to a customer or an expert, reply in the thread of that ticket. `/helpnet` files a new ticket; `/helpnet status` lists yours.',
  closed: (id: string) => `:no_entry_sign: *${id}* is closed, so this message was not passed on.`,
  released: (id: string) => `:no_entry_sign: You no longer have *${id}*, so this message was not passed on.`,
  held: (id: string) => `:hourglass_flowing_sand: Saved. It will reach the expert who takes *${id}*.`,
  notYourThread: ':no_entry_sign: This thread is not yours, so the message was not passed on.',
  files: ':paperclip: Files are not passed on yet; please paste the text, or describe what the file shows.',
  notTakenIn: ':warning: Sorry — this message could not be passed on because of a problem on our side. Please send it again in a minute.',
  edited: ':pencil2: Edits are not passed on: the other side has what you first wrote. Send a correction as a new reply.',
  deleted: ':wastebasket: Deleting it here does not take it back: the other side already has it. Send a correction as a new reply.',
} as const;
