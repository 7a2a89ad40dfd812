/**
 * audit_workspace_integrity: task-mcp's read-only cross-workspace contamination report
 * (docs/task-mcp-compatibility.md, "Audit").
 */
import { resolveWorkspacePath } from '../paths.js';
import { PyFloat, pyLower } from '../pytext.js';
import type { Row } from '../store.js';
import { nowIso } from '../timestamps.js';
import { P, defineTool, openForRead, parseStrList } from './common.js';
import { git, gitRootOf } from './git.js';

// Python's \w and \b are Unicode-aware; JS's are ASCII-only even with /u, so spell them out.
const W = '[\\p{L}\\p{N}_]';
const B_START = `(?<!${W})`;
const B_END = `(?!${W})`;
const TAG_PATTERNS: Array<[string, RegExp]> = [
  ['\\b(other-project|another-workspace|different-repo)\\b', new RegExp(`${B_START}(other-project|another-workspace|different-repo)${B_END}`, 'u')],
  ['\\b\\w+-mcp\\b(?<!task-mcp)', new RegExp(`${B_START}${W}+-mcp${B_END}(?<!task-mcp)`, 'u')],
  ['\\btask-viewer\\b', new RegExp(`${B_START}task-viewer${B_END}`, 'u')],
];
const DESC_PATH = new RegExp(`(?:/[\\p{L}\\p{N}_\\-./]+|[A-Z]:\\\\[\\p{L}\\p{N}_\\-\\\\./]+)`, 'gu');

function within(ws: string, p: string): boolean {
  const r = resolveWorkspacePath(p);
  return r === ws || r.startsWith(ws.endsWith('/') ? ws : `${ws}/`);
}

const audit = defineTool({
  name: 'audit_workspace_integrity',
  family: 'A',
  description: 'Audit a workspace for cross-workspace contamination (file references, tags, git repos, entity identifiers, description paths).',
  params: [P.ws, P.def('include_deleted', 'bool', false), P.def('check_git_repo', 'bool', true)],
  async run(a, ctx) {
    const { resolved: ws, db } = openForRead(ctx, a.workspace_path);
    const del = a.include_deleted ? '' : ' WHERE deleted_at IS NULL';
    const tasks = db.all(`SELECT * FROM tasks${del}`);
    const entities = db.all(`SELECT * FROM entities${del}`);
    const fileIssues: Row[] = [];
    const tagIssues: Row[] = [];
    const gitIssues: Row[] = [];
    const entityIssues: Row[] = [];
    const descIssues: Row[] = [];

    let gitInfo: Row | undefined;
    let wsRoot: string | null = null;
    if (a.check_git_repo) {
      wsRoot = await gitRootOf(ws);
      const remote = wsRoot ? await git(['config', '--get', 'remote.origin.url'], wsRoot) : null;
      gitInfo = { git_repo_detected: wsRoot !== null, git_root: wsRoot, git_remote: remote, is_workspace_git_root: wsRoot !== null && resolveWorkspacePath(wsRoot) === ws };
    }

    for (const t of tasks) {
      const refs = parseStrList(t.file_references);
      const outside = refs.filter((r) => !within(ws, r));
      if (outside.length) fileIssues.push({ task_id: t.id, task_title: t.title, file_references: outside, expected_prefix: ws, severity: 'high' });
      if (typeof t.tags === 'string' && t.tags) {
        const lower = pyLower(t.tags);
        const reasons = TAG_PATTERNS.filter(([, re]) => re.test(lower)).map(([src]) => `Pattern '${src}' suggests different workspace`);
        if (reasons.length) tagIssues.push({ task_id: t.id, task_title: t.title, tags: t.tags, reason: reasons.join('; '), severity: 'medium' });
      }
      if (a.check_git_repo) {
        const seen = new Set<string>();
        for (const ref of refs) {
          const root = await gitRootOf(resolveWorkspacePath(ref));
          if (wsRoot && root && root !== wsRoot && !seen.has(root)) {
            seen.add(root);
            gitIssues.push({ task_id: t.id, task_title: t.title, file_references: [ref], current_git_root: wsRoot, detected_git_root: root, severity: 'high' });
          }
        }
      }
      if (typeof t.description === 'string' && t.description) {
        const desc = t.description;
        const external = [...desc.matchAll(DESC_PATH)].map((m) => m[0]).filter((p) => !within(ws, p));
        if (external.length) {
          const cps = [...desc];
          const first = [...external[0]];
          const idx = [...desc.slice(0, desc.indexOf(external[0]))].length;
          const excerpt = `...${cps.slice(Math.max(0, idx - 20), idx + first.length + 20).join('')}...`;
          descIssues.push({ task_id: t.id, task_title: t.title, description_excerpt: excerpt, detected_paths: external, severity: 'low' });
        }
      }
    }
    for (const e of entities) {
      if (typeof e.identifier === 'string' && e.identifier.includes('/') && !within(ws, e.identifier)) {
        entityIssues.push({ entity_id: e.id, entity_type: e.entity_type, name: e.name, identifier: e.identifier, expected_prefix: ws, severity: 'high' });
      }
    }

    const issues = {
      file_reference_mismatches: fileIssues,
      suspicious_tags: tagIssues,
      git_repo_mismatches: gitIssues,
      entity_identifier_mismatches: entityIssues,
      description_path_references: descIssues,
    };
    const all = Object.values(issues).flat();
    const taskIds = new Set(all.filter((i) => 'task_id' in i).map((i) => i.task_id));
    const entityIds = new Set(all.filter((i) => 'entity_id' in i).map((i) => i.entity_id));
    const totalItems = tasks.length + entities.length;
    const pct = totalItems ? Math.round(((taskIds.size + entityIds.size) / totalItems) * 1000) / 10 : 0;
    const found = all.length > 0;
    const recs: string[] = [];
    if (fileIssues.length) recs.push(`Move ${fileIssues.length} task(s) to correct workspace database`);
    if (entityIssues.length) recs.push(`Update ${entityIssues.length} entity identifier(s) to match workspace`);
    if (tagIssues.length) recs.push(`Review tags for ${tagIssues.length} task(s) - may indicate wrong workspace`);
    const gitTasks = new Set(gitIssues.map((g) => g.task_id)).size;
    if (gitTasks) recs.push(`Investigate ${gitTasks} task(s) with file references to different git repos`);
    if (descIssues.length) recs.push(`Review descriptions for ${descIssues.length} task(s) with external path references`);
    recs.push(found ? 'Consider creating cleanup tasks to resolve contamination issues' : 'No contamination detected - workspace integrity is good!');

    const out: Row = {
      workspace_path: ws,
      audit_timestamp: nowIso(),
      contamination_found: found,
      issues,
      statistics: {
        contaminated_tasks: taskIds.size,
        contaminated_entities: entityIds.size,
        contamination_percentage: new PyFloat(pct),
        high_severity_issues: fileIssues.length + gitIssues.length + entityIssues.length,
        medium_severity_issues: tagIssues.length,
        low_severity_issues: descIssues.length,
      },
      recommendations: recs,
      total_tasks: tasks.length,
      total_entities: entities.length,
    };
    if (gitInfo) out.git_info = gitInfo;
    return out;
  },
});

export const auditTools = [audit];
