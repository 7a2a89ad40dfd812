/**
 * The markdown renderer (marked) with sanitising (DOMPurify): task-mcp descriptions are written by AI
 * clients and people, so nothing in them may run. Raw HTML is shown as text, not markup (so an
 * `onerror=` never even reaches a DOM parser); DOMPurify then cleans what markdown itself produces
 * (a `javascript:` link, say). Images are dropped (the CSP allows none from elsewhere); links open in
 * a new tab without access to this page.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { useMemo } from 'react';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({ gfm: true, breaks: true, async: false, renderer: { html: ({ text }) => escapeHtml(text) } });

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false });
  return DOMPurify.sanitize(html, { FORBID_TAGS: ['img', 'style', 'form', 'input', 'button'], FORBID_ATTR: ['style'] });
}

export default function MarkdownBody({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Sanitised above: the only place the app sets HTML.
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
