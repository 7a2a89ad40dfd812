/**
 * The markdown renderer (marked) with sanitising (DOMPurify): task-mcp descriptions are written by AI
 * clients and people, so raw HTML in them is cleaned before it reaches the page. Images are dropped
 * (the CSP allows none from elsewhere); links open in a new tab without access to this page.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'react';

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: true });
  return DOMPurify.sanitize(html, { FORBID_TAGS: ['img', 'style', 'form', 'input', 'button'], FORBID_ATTR: ['style'] });
}

export default function MarkdownBody({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // Sanitised above: the only place the app sets HTML.
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
