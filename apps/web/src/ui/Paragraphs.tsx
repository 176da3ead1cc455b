import type { JSX } from 'react';

/** Scenario prose as written in YAML: blank lines separate paragraphs; single line breaks are just wrapping. */
export function Paragraphs({ text, className, testId }: { text: string; className?: string; testId?: string }): JSX.Element {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
  return (
    <div className={className} data-testid={testId}>
      {paragraphs.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

/** The same prose on one line (for the room's collapsed prompt strip). */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
