// The notification channel: made once and reused while it lives (Genesys keeps only 20 per user
// and client, evicting the oldest), subscribed to the agent's calls topic, renewed before it ends.
import type { Models } from 'purecloud-platform-client-v2';
import { GenesysError, type GenesysApi } from '../genesys';
import { callsTopic } from '../calls';
import { t } from '../../shared/i18n';

export interface StoredChannel {
  id: string;
  connectUri: string;
  /** Local epoch ms when it was made. */
  createdAt: number;
  /** Local epoch ms when Genesys ends it: made + its lifetime as Genesys counts it. */
  expiresAt: number;
}

/** Genesys's channels live 24 hours; nothing longer is believed. */
export const MAX_CHANNEL_LIFETIME_MS = 24 * 3_600_000;
/** Shorter than this is not believed either (a clock or a proxy went wrong); the emulator uses seconds. */
export const MIN_CHANNEL_LIFETIME_MS = 5_000;

/**
 * The channel's lifetime from Genesys's answer. `expires` is on the server's clock, so it is
 * measured against the server's own `Date` when there is one: a client clock a day off would
 * otherwise make a channel look expired (renewed every second) or everlasting.
 */
export function channelLifetimeMs(expires: string | undefined, serverNow: number | undefined, localNow: number): number {
  const end = expires ? Date.parse(expires) : Number.NaN;
  if (Number.isNaN(end)) return MAX_CHANNEL_LIFETIME_MS - 3_600_000;
  const life = end - (serverNow ?? localNow);
  return Math.min(MAX_CHANNEL_LIFETIME_MS, Math.max(MIN_CHANNEL_LIFETIME_MS, life));
}

/**
 * When to move to a new channel: 10 minutes before it ends, or a quarter of its life before for
 * short-lived channels (the emulator's tests use seconds).
 */
export function channelRenewalAt(channel: StoredChannel): number {
  const life = Math.max(0, channel.expiresAt - channel.createdAt);
  return channel.expiresAt - Math.min(10 * 60_000, life / 4);
}

/** Genesys refused the calls topic: the message names the missing permission. */
export class SubscriptionRejected extends Error {}

/** Subscribes the channel to the agent's calls topic; Genesys's answer for that topic. */
export async function subscribeToCalls(api: GenesysApi, channelId: string, userId: string, signal?: AbortSignal): Promise<Models.ChannelTopic | undefined> {
  const topic = callsTopic(userId);
  const answer = await api.setSubscriptions(channelId, [topic], signal);
  return answer.entities?.find((entity) => entity.id?.toLowerCase() === topic.toLowerCase());
}

/**
 * Why Genesys refused the calls topic, or undefined when it took it. One rule for connecting and
 * for the setup check: an answer that leaves the topic out refused it (no event would come); an
 * entry without a `state` is taken as permitted (Genesys added the field later).
 */
export function subscriptionRefusal(entry: Models.ChannelTopic | undefined): string | undefined {
  if (entry && (entry.state === undefined || entry.state.toLowerCase() === 'permitted')) return undefined;
  const missing = entry?.missingPermissions ?? [];
  return missing.length > 0 ? t('updatesRefusedMissing', missing.join(', ')) : t('updatesRefused');
}

async function subscribe(api: GenesysApi, channelId: string, userId: string, signal?: AbortSignal): Promise<void> {
  const refusal = subscriptionRefusal(await subscribeToCalls(api, channelId, userId, signal));
  if (refusal !== undefined) throw new SubscriptionRejected(refusal);
}

/**
 * The channel to listen on: `reusable` while it lives and Genesys still knows it (subscribed
 * again), else a new one, subscribed. A new channel is handed to `created` as soon as it exists,
 * before it is subscribed: when the subscription is refused (a partial incident can refuse only
 * `PUT …/subscriptions`), the caller still has it for the next attempt, which would otherwise make
 * another (Genesys keeps 20 per user and client, evicting the oldest). `created` may throw to
 * refuse it (an address outside Genesys's hosts).
 */
export async function usableChannel(
  api: GenesysApi,
  userId: string,
  reusable: StoredChannel | undefined,
  options: { now: () => number; signal?: AbortSignal; created?: (channel: StoredChannel) => void },
): Promise<StoredChannel> {
  if (reusable && channelRenewalAt(reusable) > options.now()) {
    try {
      await subscribe(api, reusable.id, userId, options.signal);
      return reusable;
    } catch (error) {
      if (!(error instanceof GenesysError) || error.status !== 404) throw error;
    }
  }
  const { channel: created, serverNow } = await api.createChannel(options.signal);
  if (!created.id || !created.connectUri) throw new GenesysError(500, 'bad.response', 'Genesys Cloud did not return a notification channel.');
  const createdAt = options.now();
  const channel: StoredChannel = {
    id: created.id,
    connectUri: created.connectUri,
    createdAt,
    expiresAt: createdAt + channelLifetimeMs(created.expires, serverNow, createdAt),
  };
  options.created?.(channel);
  await subscribe(api, channel.id, userId, options.signal);
  return channel;
}
