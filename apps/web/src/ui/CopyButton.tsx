import { type JSX, useState } from 'react';

/** Copies `text` to the clipboard; says so for two seconds. Falls back to selecting a hidden field. */
export function CopyButton({ text, label = 'Copy', testId }: { text: string; label?: string; testId?: string }): JSX.Element {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    window.setTimeout(() => setCopied(false), 2000);
  };
  return (
    <button type="button" className="btn btn-small" onClick={() => void copy()} data-testid={testId} aria-live="polite">
      {copied ? 'Copied' : label}
    </button>
  );
}
