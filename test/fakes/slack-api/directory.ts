import type { SlackReply } from './reply';
import { fail, str } from './reply';
import type { SlackState } from './state';
import type { SlackBody, SlackChannel, SlackUser } from './types';

export function authTest(_body: SlackBody, state: SlackState): SlackReply {
  const { identity } = state;
  return {
    ok: true,
    url: 'https://fake-team.slack.com/',
    team: identity.team,
    user: identity.user,
    team_id: identity.team_id,
    user_id: identity.user_id,
    bot_id: identity.bot_id,
    is_enterprise_install: false,
  };
}

/** Any channel ID exists: configured fields over a public channel the bot is a member of. */
export function conversationsInfo(body: SlackBody, state: SlackState): SlackReply {
  const id = str(body, 'channel');
  if (id === null) return fail('channel_not_found');
  const channel: SlackChannel = {
    id,
    name: `channel-${id.toLowerCase()}`,
    is_channel: true,
    is_private: false,
    is_member: true,
    is_archived: false,
    ...state.channels[id],
  };
  return { ok: true, channel };
}

/** Any user ID exists: configured fields over a made-up person. */
export function usersInfo(body: SlackBody, state: SlackState): SlackReply {
  const id = str(body, 'user');
  if (id === null) return fail('user_not_found');
  const configured = state.users[id] ?? {};
  const name = configured.name ?? `user-${id.toLowerCase()}`;
  const realName = configured.real_name ?? name;
  const includeLocale = body.include_locale === true || body.include_locale === 'true';
  const { locale, ...rest } = configured;
  const user: SlackUser = {
    id,
    name,
    real_name: realName,
    is_bot: false,
    tz: 'Europe/London',
    ...rest,
    ...(includeLocale ? { locale: locale ?? 'en-US' } : {}),
    profile: { display_name: name, real_name: realName, ...configured.profile },
  };
  return { ok: true, user: { ...user, team_id: state.identity.team_id } };
}

export function usergroupsUsersList(body: SlackBody, state: SlackState): SlackReply {
  const id = str(body, 'usergroup');
  const members = id === null ? undefined : state.usergroups.get(id);
  if (!members) return fail('no_such_subteam');
  return { ok: true, users: [...members] };
}
