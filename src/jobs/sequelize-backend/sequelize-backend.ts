import { InMemoryNotificationChannel, type AgendaBackend, type NotificationChannel } from 'agenda';
import type { Sequelize } from 'sequelize';
import { SequelizeJobRepository } from './sequelize-job-repository.ts';

/**
 * Agenda backend storing jobs in the app's own database. Processes share work by polling
 * (`processEvery`); within a process, an in-memory notification channel starts a job
 * saved there at once instead of at the next poll.
 */
export class SequelizeBackend implements AgendaBackend {
  readonly name: string;
  readonly repository: SequelizeJobRepository;
  readonly notificationChannel: NotificationChannel;
  /** The database belongs to the app: Agenda must not close it. */
  readonly ownsConnection = false;

  constructor(sequelize: Sequelize) {
    this.name = `Sequelize (${sequelize.getDialect()})`;
    this.repository = new SequelizeJobRepository(sequelize);
    this.notificationChannel = new InMemoryNotificationChannel();
  }

  async connect(): Promise<void> {
    await this.repository.connect();
  }

  async disconnect(): Promise<void> {
    await this.repository.releasePrefetched();
    await this.repository.idle();
  }
}
