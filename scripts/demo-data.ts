/**
 * A realistic demo project, written through MCP tool calls like any task-mcp client would:
 * an epic/subtask hierarchy, dependencies, blocked and finished work, tags, files and links.
 */
type Call = (tool: string, args: Record<string, unknown>) => Promise<any>;

interface DemoTask {
  key: string;
  title: string;
  description?: string;
  priority?: 'low' | 'medium' | 'high';
  tags?: string;
  parent?: string;
  depends?: string[];
  files?: string[];
  /** Final status, reached through task-mcp's allowed transitions. */
  status?: 'in_progress' | 'blocked' | 'done' | 'cancelled';
  blocker?: string;
}

const TASKS: DemoTask[] = [
  { key: 'auth', title: 'User authentication', description: 'Sign-up, login and sessions for the web app', priority: 'high', tags: 'epic backend auth' },
  { key: 'auth-schema', title: 'Design users table', parent: 'auth', tags: 'backend db', status: 'done', files: ['db/migrations/001_users.sql'] },
  { key: 'auth-hash', title: 'Password hashing with argon2', parent: 'auth', tags: 'backend security', depends: ['auth-schema'], status: 'done', files: ['src/auth/hash.ts'] },
  { key: 'auth-login', title: 'Login endpoint', description: 'POST /login with rate limiting and lockout', parent: 'auth', priority: 'high', tags: 'backend api auth', depends: ['auth-hash'], status: 'in_progress', files: ['src/auth/login.ts'] },
  { key: 'auth-reset', title: 'Password reset emails', parent: 'auth', tags: 'backend email', depends: ['auth-login'], status: 'blocked', blocker: 'Waiting for the transactional email provider contract' },
  { key: 'auth-2fa', title: 'TOTP two-factor authentication', parent: 'auth', priority: 'low', tags: 'backend security', depends: ['auth-login'] },
  { key: 'auth-tests', title: 'Auth integration tests', parent: 'auth', tags: 'testing backend', depends: ['auth-login'] },
  { key: 'dash', title: 'Project dashboard', description: 'Overview page with progress per project', priority: 'medium', tags: 'epic frontend' },
  { key: 'dash-layout', title: 'Dashboard layout and navigation', parent: 'dash', tags: 'frontend ui', status: 'done', files: ['web/src/Dashboard.tsx'] },
  { key: 'dash-charts', title: 'Burn-down chart', parent: 'dash', tags: 'frontend charts', depends: ['dash-layout', 'api-stats'] },
  { key: 'dash-empty', title: 'Empty states and skeletons', parent: 'dash', priority: 'low', tags: 'frontend ui', depends: ['dash-layout'] },
  { key: 'dash-a11y', title: 'Accessibility audit of the dashboard', parent: 'dash', tags: 'frontend a11y', status: 'in_progress' },
  { key: 'api', title: 'Public REST API', description: 'Versioned JSON API for integrations', priority: 'high', tags: 'epic backend api' },
  { key: 'api-spec', title: 'Write the OpenAPI contract', parent: 'api', priority: 'high', tags: 'api docs', status: 'done', files: ['openapi.yaml'] },
  { key: 'api-stats', title: 'Project statistics endpoint', parent: 'api', tags: 'backend api', depends: ['api-spec'], status: 'in_progress', files: ['src/routes/stats.ts'] },
  { key: 'api-keys', title: 'API key management', parent: 'api', priority: 'high', tags: 'backend api security', depends: ['api-spec'] },
  { key: 'api-ratelimit', title: 'Rate limiting per key', parent: 'api', tags: 'backend api', depends: ['api-keys'] },
  { key: 'api-pagination', title: 'Cursor pagination for large lists', parent: 'api', priority: 'low', tags: 'backend api', status: 'cancelled' },
  { key: 'api-sdk', title: 'Generate the TypeScript client', parent: 'api', tags: 'api tooling', depends: ['api-spec'] },
  { key: 'ops', title: 'Production readiness', priority: 'medium', tags: 'epic ops' },
  { key: 'ops-ci', title: 'CI pipeline with test matrix', parent: 'ops', tags: 'ops ci', status: 'done', files: ['.ci/run'] },
  { key: 'ops-metrics', title: 'Prometheus metrics and dashboards', parent: 'ops', tags: 'ops observability', depends: ['ops-ci'] },
  { key: 'ops-backup', title: 'Nightly database backups', parent: 'ops', priority: 'high', tags: 'ops db', status: 'blocked', blocker: 'Needs an object storage bucket from IT' },
  { key: 'ops-runbook', title: 'On-call runbook', parent: 'ops', priority: 'low', tags: 'ops docs' },
  { key: 'ops-load', title: 'Load test the API', parent: 'ops', tags: 'ops performance testing', depends: ['api-ratelimit'] },
  { key: 'bug-tz', title: 'Fix timezone shift in due dates', description: 'Dates created after 23:00 UTC show the next day', priority: 'high', tags: 'bug frontend', status: 'in_progress' },
  { key: 'bug-csv', title: 'CSV export drops unicode names', description: 'Names like "Zoë" and "Łukasz" come out mangled', tags: 'bug backend', files: ['src/export/csv.ts'] },
  { key: 'bug-flaky', title: 'Flaky login test on CI', priority: 'low', tags: 'bug testing' },
  { key: 'docs-readme', title: 'Refresh the README quick start', priority: 'low', tags: 'docs', status: 'done' },
  { key: 'docs-adr', title: 'ADR: choose the job queue', tags: 'docs architecture' },
  { key: 'research-search', title: 'Evaluate full-text search options', description: 'SQLite FTS5 vs. Postgres tsvector vs. Meilisearch', tags: 'research backend' },
  { key: 'research-mobile', title: 'Spike: offline mode for mobile', priority: 'low', tags: 'research mobile' },
];

const ENTITIES = [
  { key: 'login.ts', entity_type: 'file', name: 'Login handler', identifier: 'src/auth/login.ts', tags: 'backend auth', metadata: { language: 'typescript', owner: 'alice' } },
  { key: 'openapi', entity_type: 'file', name: 'OpenAPI contract', identifier: 'openapi.yaml', tags: 'api docs' },
  { key: 'dashboard', entity_type: 'file', name: 'Dashboard page', identifier: 'web/src/Dashboard.tsx', tags: 'frontend' },
  { key: 'csv', entity_type: 'file', name: 'CSV exporter', identifier: 'src/export/csv.ts', tags: 'backend' },
  { key: 'vendor-email', entity_type: 'other', name: 'Email provider (vendor)', identifier: 'VENDOR-MAILER', tags: 'vendor', metadata: { contact: 'sales@example.com' } },
  { key: 'incident', entity_type: 'other', name: 'Incident 2026-11-02 login outage', identifier: 'INC-042', tags: 'incident auth' },
] as const;

const LINKS: Array<[task: string, entity: string]> = [
  ['auth-login', 'login.ts'],
  ['auth-tests', 'login.ts'],
  ['bug-flaky', 'login.ts'],
  ['auth-login', 'incident'],
  ['api-spec', 'openapi'],
  ['api-sdk', 'openapi'],
  ['dash-layout', 'dashboard'],
  ['dash-charts', 'dashboard'],
  ['bug-csv', 'csv'],
  ['auth-reset', 'vendor-email'],
];

/** Seeds the demo project into `workspace`; returns the number of tasks and entities created. */
export async function seedDemoProject(call: Call, workspace: string): Promise<{ tasks: number; entities: number }> {
  const ws = { workspace_path: workspace };
  await call('set_project_name', { ...ws, friendly_name: 'Acme web app (demo)' });
  const ids = new Map<string, number>();
  for (const t of TASKS) {
    const created = await call('create_task', {
      ...ws,
      title: t.title,
      description: t.description,
      priority: t.priority ?? 'medium',
      tags: t.tags,
      parent_task_id: t.parent ? ids.get(t.parent) : undefined,
      file_references: t.files,
      created_by: 'demo-seed',
    });
    ids.set(t.key, created.id);
  }
  // Dependencies and statuses after every task exists (dependencies may point forward).
  for (const t of TASKS) {
    const id = ids.get(t.key)!;
    if (t.depends) await call('update_task', { ...ws, task_id: id, depends_on: t.depends.map((k) => ids.get(k)!) });
  }
  const order = ['done', 'cancelled', 'in_progress', 'blocked'] as const;
  for (const status of order) {
    for (const t of TASKS.filter((x) => x.status === status)) {
      const id = ids.get(t.key)!;
      if (status === 'cancelled') await call('update_task', { ...ws, task_id: id, status: 'cancelled' });
      else await call('update_task', { ...ws, task_id: id, status: 'in_progress' });
      if (status === 'done') await call('update_task', { ...ws, task_id: id, status: 'done', depends_on: [] });
      if (status === 'blocked') await call('update_task', { ...ws, task_id: id, status: 'blocked', blocker_reason: t.blocker });
    }
  }
  // Restore the dependencies that were cleared to let finished tasks be marked done.
  for (const t of TASKS.filter((x) => x.status === 'done' && x.depends)) {
    await call('update_task', { ...ws, task_id: ids.get(t.key)!, depends_on: t.depends!.map((k) => ids.get(k)!) });
  }
  const entityIds = new Map<string, number>();
  for (const e of ENTITIES) {
    const { key, ...fields } = e;
    const created = await call('create_entity', { ...ws, ...fields, created_by: 'demo-seed' });
    entityIds.set(key, created.id);
  }
  for (const [task, entity] of LINKS) {
    await call('link_entity_to_task', { ...ws, task_id: ids.get(task)!, entity_id: entityIds.get(entity)!, created_by: 'demo-seed' });
  }
  return { tasks: TASKS.length, entities: ENTITIES.length };
}
