import type { ConfigStore } from '../config/config-store.ts';
import type { MajorIncident, TimelineEntry } from '../domain/major-incident.ts';
import { readLatestUpdate } from '../orchestrator/latest-update.ts';
import type { MiStore } from '../store/mi-store.ts';
import type { MessageContext } from './message-vars.ts';

/** The optional readers of MessageContext, from the store and the active config (read per call: reloads apply). */
export function messageExtras(
  store: Pick<MiStore<MajorIncident, TimelineEntry>, 'synced'>,
  config: Pick<ConfigStore, 'current'>,
): Pick<MessageContext, 'latestUpdate' | 'audienceName'> {
  return {
    latestUpdate: (id) => readLatestUpdate(store, id),
    audienceName: (id) => config.current().audiences.audiences.find((a) => a.id === id)?.name,
  };
}
