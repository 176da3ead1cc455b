import {
  addAccessPattern,
  addActor,
  addRule,
  type AccessPattern,
  frequencies,
  removeAccessPattern,
  removeActor,
  removeRule,
  ruleKinds,
  setTenancy,
  sharedTypes,
  tenancyStrategies,
  updateAccessPattern,
  updateActor,
  updateRule,
} from '@hatch/model';
import { type JSX, useState } from 'react';
import { CommitInput, ReadOnlyNote, RemoveButton } from '../../ui/inputs';
import { textOf, topItemMap } from '../model/y-elements';
import { useRoom } from '../room-context';
import { YTextField } from './YTextField';

type Strategy = (typeof tenancyStrategies)[number];
type Frequency = AccessPattern['frequency'];
type RuleKind = (typeof ruleKinds)[number];

/** Frame: the domain, actors, rules and invariants, access patterns with frequency, tenancy. */
export function FrameEditor(): JSX.Element {
  const { doc, model, canWrite, role, edit } = useRoom();
  const types = sharedTypes(doc);
  const frame = model.frame;
  return (
    <div className="notes-page frame-editor" data-testid="frame-editor">
      {!canWrite && <ReadOnlyNote role={role} />}
      <header className="notes-head">
        <h2>Frame</h2>
        <p className="muted">Before tables: what is the product, who acts in it, which rules hold, and which questions must be fast?</p>
      </header>
      <div className="frame-grid">
        <section>
          <YTextField text={types.frameDomain} focusKey="frame.domain" label="Domain" multiline rows={5} maxLength={20000} placeholder="The product in your words…" testId="frame-domain" />
          <h3 className="section-title">Tenancy</h3>
          <div className="form-grid">
            <label>
              Strategy
              <select
                value={frame.tenancy.strategy ?? ''}
                disabled={!canWrite}
                data-testid="tenancy-strategy"
                onChange={(e) => edit(() => setTenancy(doc, { strategy: (e.target.value || null) as Strategy | null }))}
              >
                <option value="">not decided</option>
                {tenancyStrategies.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <YTextField text={types.frameTenancyNotes} focusKey="frame.tenancy.notes" label="Tenancy notes" multiline rows={3} maxLength={20000} placeholder="How is one tenant kept from another's rows?" />
        </section>
        <section>
          <h3 className="section-title">
            Actors <span className="count">{frame.actors.length}</span>
          </h3>
          <ul className="item-list">
            {frame.actors.map((actor) => (
              <li key={actor.id} className="item-block" data-testid="actor-row">
                <div className="item-row">
                  <CommitInput value={actor.name} label="Actor name" maxLength={200} disabled={!canWrite} onCommit={(name) => edit(() => updateActor(doc, { actorId: actor.id, name })) !== null} />
                  <RemoveButton label={`Remove actor ${actor.name}`} disabled={!canWrite} onClick={() => edit(() => removeActor(doc, { actorId: actor.id }))} />
                </div>
                <YTextField text={textOf(topItemMap(doc, 'frameActors', actor.id), 'description')} focusKey={`actor:${actor.id}`} label={`What ${actor.name} does`} hideLabel maxLength={1000} placeholder="what they do" />
              </li>
            ))}
          </ul>
          <AddOne placeholder="actor, e.g. billing admin" label="Add actor" testId="add-actor" onAdd={(name) => edit(() => addActor(doc, { name })) !== null} />

          <h3 className="section-title">
            Rules and invariants <span className="count">{frame.rules.length}</span>
          </h3>
          <ul className="item-list">
            {frame.rules.map((rule) => (
              <li key={rule.id} className="item-row" data-testid="rule-row">
                <select aria-label="Rule kind" value={rule.kind} disabled={!canWrite} onChange={(e) => edit(() => updateRule(doc, { ruleId: rule.id, kind: e.target.value as RuleKind }))}>
                  {ruleKinds.map((k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
                </select>
                <YTextField text={textOf(topItemMap(doc, 'frameRules', rule.id), 'text')} focusKey={`rule:${rule.id}`} label="Rule" hideLabel maxLength={1000} className="grow" />
                <RemoveButton label="Remove rule" disabled={!canWrite} onClick={() => edit(() => removeRule(doc, { ruleId: rule.id }))} />
              </li>
            ))}
          </ul>
          <AddOne placeholder="e.g. an invoice never changes once issued" label="Add rule" testId="add-rule" onAdd={(text) => edit(() => addRule(doc, { text })) !== null} />
        </section>
        <section className="span-2">
          <h3 className="section-title">
            Access patterns <span className="count">{frame.accessPatterns.length}</span>
          </h3>
          <ul className="item-list">
            {frame.accessPatterns.map((pattern) => (
              <li key={pattern.id} className="item-block" data-testid="access-pattern-row">
                <div className="item-row">
                  <YTextField text={textOf(topItemMap(doc, 'frameAccessPatterns', pattern.id), 'description')} focusKey={`acp:${pattern.id}`} label="Question" hideLabel maxLength={1000} className="grow" />
                  <select
                    aria-label="How often"
                    value={pattern.frequency}
                    disabled={!canWrite}
                    onChange={(e) => edit(() => updateAccessPattern(doc, { accessPatternId: pattern.id, frequency: e.target.value as Frequency }))}
                  >
                    {frequencies.map((f) => (
                      <option key={f} value={f}>
                        {f}
                      </option>
                    ))}
                  </select>
                  <RemoveButton label="Remove access pattern" disabled={!canWrite} onClick={() => edit(() => removeAccessPattern(doc, { accessPatternId: pattern.id }))} />
                </div>
                <div className="entity-tags" role="group" aria-label="Entities it reads">
                  {model.entities.map((entity) => {
                    const on = pattern.entityIds.includes(entity.id);
                    return (
                      <button
                        type="button"
                        key={entity.id}
                        className="chip chip-small"
                        aria-pressed={on}
                        disabled={!canWrite}
                        onClick={() =>
                          edit(() =>
                            updateAccessPattern(doc, {
                              accessPatternId: pattern.id,
                              entityIds: on ? pattern.entityIds.filter((id) => id !== entity.id) : [...pattern.entityIds, entity.id],
                            }),
                          )
                        }
                      >
                        {entity.name}
                      </button>
                    );
                  })}
                </div>
              </li>
            ))}
          </ul>
          <AddOne
            placeholder="e.g. list a tenant's unpaid invoices, newest first"
            label="Add access pattern"
            testId="add-access-pattern"
            onAdd={(description) => edit(() => addAccessPattern(doc, { description })) !== null}
          />
        </section>
      </div>
    </div>
  );
}

/** One text box and a button: Enter adds, Escape clears. */
export function AddOne(props: { placeholder: string; label: string; testId: string; onAdd: (value: string) => boolean }): JSX.Element {
  const { canWrite } = useRoom();
  const [value, setValue] = useState('');
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (props.onAdd(value)) setValue('');
      }}
    >
      <input
        type="text"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setValue('')}
        placeholder={props.placeholder}
        aria-label={props.label}
        maxLength={1000}
        disabled={!canWrite}
        data-testid={`${props.testId}-input`}
      />
      <button type="submit" className="btn btn-small" disabled={!canWrite || !value.trim()} data-testid={props.testId}>
        {props.label}
      </button>
    </form>
  );
}
