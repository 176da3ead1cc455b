import type { JSX, ReactNode } from 'react';

/** The top bar: the product name (a link to the lobby) and whatever the page adds on the right. */
export function BrandBar({ children }: { children?: ReactNode }): JSX.Element {
  return (
    <header className="brand-bar">
      <a href="/" className="brand" aria-label="Hatch — back to the lobby">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        Hatch
      </a>
      {children}
    </header>
  );
}
