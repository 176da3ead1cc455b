import type { Model } from '@hatch/model';
import { createContext, useContext } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { PublicScenario, Role } from '../api/types';
import type { Peer } from './collab/presence';

/** What every editor in the room needs: the shared document, the model read from it, the role. */
export interface RoomContextValue {
  doc: Y.Doc;
  awareness: Awareness;
  model: Model;
  role: Role;
  canWrite: boolean;
  scenario: PublicScenario | null;
  /** Everyone else in the document (awareness): their selection and the text they are typing in. */
  peers: Peer[];
  /**
   * Runs one edit through a typed operation of `@hatch/model`; a refused edit (duplicate name, missing
   * reference…) is shown to the user instead of thrown. Returns what the operation returned, or null.
   */
  edit<T>(operation: () => T): T | null;
}

export const RoomContext = createContext<RoomContextValue | null>(null);

export function useRoom(): RoomContextValue {
  const value = useContext(RoomContext);
  if (!value) throw new Error('useRoom outside a room');
  return value;
}
