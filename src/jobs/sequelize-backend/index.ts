export { SequelizeBackend } from './sequelize-backend.ts';
export { SequelizeJobRepository } from './sequelize-job-repository.ts';
export { scheduleInTransaction, type TransactionalJob } from './schedule-in-transaction.ts';
