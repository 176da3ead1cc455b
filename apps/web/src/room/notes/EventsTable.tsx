import {
  addEvent,
  addEventProperty,
  type EventProperty,
  eventPropertyTypes,
  removeEvent,
  removeEventProperty,
  type TrackingEvent,
  updateEvent,
  updateEventProperty,
} from '@hatch/model';
import { type JSX, useState } from 'react';
import { CommitInput, ConfirmButton, ReadOnlyNote, RemoveButton } from '../../ui/inputs';
import { topItemMap, textOf } from '../model/y-elements';
import { entityOptions, Select } from '../../ui/selects';
import { useRoom } from '../room-context';
import { YTextField } from './YTextField';

type PropertyType = EventProperty['type'];

/** The tracking plan: one row per event (name, trigger, entity, properties with types). */
export function EventsTable(): JSX.Element {
  const { model, canWrite, role, doc, edit } = useRoom();
  const [name, setName] = useState('');
  return (
    <div className="notes-page" data-testid="events-table">
      {!canWrite && <ReadOnlyNote role={role} />}
      <header className="notes-head">
        <h2>Tracking plan</h2>
        <p className="muted">
          Events the product emits: name them consistently (<code>object_action</code>), say when they fire, and type their properties.
        </p>
      </header>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (edit(() => addEvent(doc, { name }))) setName('');
        }}
      >
        <input
          type="text"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="event name, e.g. invoice_paid"
          aria-label="New event name"
          maxLength={200}
          disabled={!canWrite}
          data-testid="new-event-name"
        />
        <button type="submit" className="btn btn-primary" disabled={!canWrite || !name.trim()} data-testid="add-event">
          Add event
        </button>
      </form>
      {model.events.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <table className="events">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Trigger</th>
              <th scope="col">About</th>
              <th scope="col">Properties</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {model.events.map((event) => (
              <EventRow key={event.id} event={event} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function EventRow({ event }: { event: TrackingEvent }): JSX.Element {
  const { doc, model, canWrite, edit } = useRoom();
  const map = topItemMap(doc, 'events', event.id);
  return (
    <tr data-testid="event-row" data-event-name={event.name}>
      <td>
        <CommitInput value={event.name} label="Event name" maxLength={200} disabled={!canWrite} onCommit={(next) => edit(() => updateEvent(doc, { eventId: event.id, name: next })) !== null} />
      </td>
      <td>
        <YTextField text={textOf(map, 'trigger')} focusKey={`event:${event.id}:trigger`} label={`When ${event.name} fires`} hideLabel maxLength={1000} placeholder="when it fires" />
      </td>
      <td>
        <Select
          label={`Entity ${event.name} is about`}
          value={event.entityId ?? ''}
          options={entityOptions(model.entities)}
          empty="—"
          disabled={!canWrite}
          onChange={(entityId) => edit(() => updateEvent(doc, { eventId: event.id, entityId: entityId || null }))}
        />
      </td>
      <td>
        <ul className="property-list">
          {event.properties.map((property) => (
            <li key={property.id} className="property-chip" data-testid="event-property">
              <span className="mono">{property.name}</span>
              <select
                aria-label={`Type of ${property.name}`}
                value={property.type}
                disabled={!canWrite}
                onChange={(e) => edit(() => updateEventProperty(doc, { eventId: event.id, propertyId: property.id, type: e.target.value as PropertyType }))}
              >
                {eventPropertyTypes.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
              <label className="checkbox small" title="required">
                <input
                  type="checkbox"
                  checked={property.required}
                  disabled={!canWrite}
                  onChange={(e) => edit(() => updateEventProperty(doc, { eventId: event.id, propertyId: property.id, required: e.target.checked }))}
                />
                req
              </label>
              <RemoveButton label={`Delete property ${property.name}`} disabled={!canWrite} onClick={() => edit(() => removeEventProperty(doc, { eventId: event.id, propertyId: property.id }))} />
            </li>
          ))}
        </ul>
        <AddProperty eventId={event.id} />
      </td>
      <td>
        <ConfirmButton label="Delete" confirmLabel="Delete?" title={`Delete event ${event.name}`} disabled={!canWrite} onConfirm={() => edit(() => removeEvent(doc, { eventId: event.id }))} />
      </td>
    </tr>
  );
}

function AddProperty({ eventId }: { eventId: string }): JSX.Element {
  const { doc, canWrite, edit } = useRoom();
  const [name, setName] = useState('');
  const [type, setType] = useState<PropertyType>('string');
  return (
    <form
      className="add-property"
      onSubmit={(e) => {
        e.preventDefault();
        if (edit(() => addEventProperty(doc, { eventId, name, type }))) setName('');
      }}
    >
      <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="property" aria-label="New property name" maxLength={63} disabled={!canWrite} />
      <select value={type} onChange={(e) => setType(e.target.value as PropertyType)} aria-label="New property type" disabled={!canWrite}>
        {eventPropertyTypes.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <button type="submit" className="btn btn-small" disabled={!canWrite || !name.trim()}>
        Add
      </button>
    </form>
  );
}
