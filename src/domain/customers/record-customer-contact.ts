import type { Attributes, Transaction } from 'sequelize';
import type { Customer } from '../../db/models/customer.ts';
import type { DomainContext } from '../domain-context.ts';
import { contactChanges, type ContactUpdate } from './rules.ts';

type CustomerRow = Attributes<Customer>;

/**
 * Brings a customer's contact up to what a source says of them now (see contactChanges):
 * from a verified source the newest values are kept, and the ones they replace stay in the
 * former identity, so they are still scrubbed; from the widget, new values are only added
 * to be scrubbed. `seen` is the row as the caller read it: when it shows nothing
 * new, nothing is locked or written. Otherwise the row is read again under its lock, so
 * two updates at once keep every former value. Returns the row as it now is.
 */
export async function recordCustomerContact(
  ctx: Pick<DomainContext, 'db' | 'now'>,
  transaction: Transaction,
  customerId: number,
  given: ContactUpdate,
  seen?: CustomerRow,
  verified = true,
): Promise<CustomerRow | undefined> {
  const { customers } = ctx.db;
  if (seen && Object.keys(contactChanges(seen, given, verified)).length === 0) return seen;
  const current = await customers.byId(customerId, { transaction, forUpdate: true });
  if (!current) return undefined;
  const changes = contactChanges(current, given, verified);
  if (Object.keys(changes).length === 0) return current;
  await customers.update(customerId, changes, ctx.now(), { transaction });
  return { ...current, ...changes };
}
