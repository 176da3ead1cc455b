import type { JSX } from 'react';
import { Lobby } from './lobby/Lobby';
import { Room } from './room/Room';
import { useRoute } from './router';

export function App(): JSX.Element {
  const route = useRoute();
  if (route.name === 'room') return <Room key={`${route.sessionId}:${route.token ?? ''}`} sessionId={route.sessionId} token={route.token} />;
  if (route.name === 'not-found') {
    return (
      <main className="page-message">
        <h1>Page not found</h1>
        <p>
          There is nothing at <code>{route.path}</code>. <a href="/">Go to the lobby</a>.
        </p>
      </main>
    );
  }
  return <Lobby />;
}
