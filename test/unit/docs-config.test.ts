/** README.md and .env.example stay true: every variable the service reads is documented in both. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config.js';

const readme = readFileSync('README.md', 'utf8');
const example = readFileSync('.env.example', 'utf8');

describe('configuration docs', () => {
  it.each(CONFIG_VARIABLES)('%s is in the README table and .env.example', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });
});
