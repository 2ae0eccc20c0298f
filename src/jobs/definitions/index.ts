import type { JobDefinition } from '../define-job.ts';
import { accountEmail } from './account-email.ts';
import { completeBookingJob } from './complete-booking.ts';
import { escalateTicketJob } from './escalate-ticket.ts';
import { homeFanOut } from './home-fan-out.ts';
import { homePublish } from './home-publish.ts';
import { homeStatisticsJob } from './home-statistics.ts';
import { noteSource } from './note-source.ts';
import { processInbound } from './process-inbound.ts';
import { purgeFinishedJobs } from './purge-finished-jobs.ts';
import { readRequesterProfileJob } from './read-requester-profile.ts';
import { relayEmail } from './relay-email.ts';
import { relayZendesk } from './relay-zendesk.ts';
import { slackPost } from './slack-post.ts';
import { slackUpdate } from './slack-update.ts';
import { surveyStep } from './survey-step.ts';
import { writeStatementsJob } from './write-statements.ts';
import { zendeskStatus } from './zendesk-status.ts';

/** Every job the app runs. One file per job; add new ones here. */
export const jobDefinitions: JobDefinition[] = [purgeFinishedJobs, slackPost, slackUpdate, escalateTicketJob, noteSource, processInbound, relayZendesk, relayEmail, completeBookingJob, readRequesterProfileJob, surveyStep, zendeskStatus, writeStatementsJob, homePublish, homeFanOut, homeStatisticsJob, accountEmail];
