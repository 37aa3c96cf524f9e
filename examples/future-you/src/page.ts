import type { HearthOutputs as Outputs } from '@hearth/client';
import { cssVariablesToStyleText } from '@hearth/core';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The web app's page for one organisation: the built `index.html` with the organisation's name
 * as its title and its colours as CSS variables, so the first paint is already theirs before
 * any script runs. The style element carries the response's CSP nonce.
 */
export function renderShell(
  indexHtml: string,
  branding: Outputs['tenancy']['branding'],
  nonce: string,
): string {
  const variables = cssVariablesToStyleText(branding.cssVariables);
  // React Aria adds one small style element of its own; it reads the nonce from this meta tag.
  const head = `<title>${escapeHtml(branding.displayName)}</title>
    <meta property="csp-nonce" nonce="${nonce}">
    <style nonce="${nonce}">:root { ${variables}; } body { margin: 0; background: var(--hearth-color-background); color: var(--hearth-color-text); font-family: var(--hearth-font-family); }</style>`;
  return indexHtml.replace(/<title>[^<]*<\/title>/, head);
}
