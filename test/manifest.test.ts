import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { SCOPES_USED } from '../src/slack/required-scopes.ts';
import { REPO_ROOT } from './support/spawn-helpnet.ts';

const read = (path: string) => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Record<string, any>;

describe('manifest.json', () => {
  const manifest = read('manifest.json');

  it("is valid against Slack's manifest schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(read('test/fixtures/slack-manifest.schema.json'));
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('declares /helpnet, the Home and messages tabs, and one request URL for everything', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/helpnet']);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    const urls = [manifest.features.slash_commands[0].url, manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url];
    expect(new Set(urls)).toEqual(new Set(['https://YOUR-HOST/slack/events']));
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'message.im']);
  });

  it('asks only for the bot scopes Helpnet uses', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(
      ['channels:history', 'groups:history', 'chat:write', 'chat:write.public', 'commands', 'im:history', 'im:write', 'users:read', 'users:read.email'].sort(),
    );
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
    // What the server checks the installed app for at start is what the manifest asks for.
    expect(Object.keys(SCOPES_USED).sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });
});
