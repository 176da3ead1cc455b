import { type Model, toJSON } from '@hatch/model';
import { useSyncExternalStore } from 'react';
import type * as Y from 'yjs';

/**
 * The document read as a plain `Model` (`toJSON`, which never throws and repairs dangling references),
 * recomputed at most once per task after changes, so a burst of remote updates renders once.
 */
export class ModelStore {
  private model: Model;
  private scheduled = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly doc: Y.Doc) {
    this.model = toJSON(doc);
    doc.on('update', this.onUpdate);
  }

  private onUpdate = () => {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.model = toJSON(this.doc);
      for (const listener of this.listeners) listener();
    }, 0);
  };

  get = (): Model => this.model;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  destroy(): void {
    this.doc.off('update', this.onUpdate);
    this.listeners.clear();
  }
}

export function useModelStore(store: ModelStore): Model {
  return useSyncExternalStore(store.subscribe, store.get);
}
