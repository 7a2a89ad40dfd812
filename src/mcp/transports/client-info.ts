/** How this service introduces itself to MCP servers. */
import { VERSION } from '../../version.js';

export const CLIENT_INFO = { name: 'task-viewer-api', version: VERSION };
