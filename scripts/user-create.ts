// npm run user:create -- --email reporter@example.org --role author [--name "Kim Lệ"] [--password …]
// Without --password, a random one is generated and printed once.
import { randomBytes } from 'node:crypto';
import { ROLES, type Role } from '../src/policy/roles.js';
import { createUser } from '../src/modules/users/users.service.js';
import { parseArgs, withApp } from './cli.js';

const args = parseArgs(process.argv.slice(2));
const role = (args.role ?? 'author') as Role;
if (!args.email || !ROLES.includes(role)) {
  console.error(`Usage: npm run user:create -- --email <email> --role <${ROLES.join('|')}> [--name <name>] [--password <password>]`);
  process.exit(64);
}
const password = args.password ?? randomBytes(12).toString('base64url');
if (password.length < 8) {
  console.error('The password must be at least 8 characters.');
  process.exit(64);
}

await withApp(async (app) => {
  const user = await createUser(app.ctx, { email: args.email, password, role, name: args.name });
  console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
  if (!args.password) console.log(`Password: ${password}`);
});
