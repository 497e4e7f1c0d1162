// npm run migrate: applies pending migrations (buildApp migrates while it starts) and exits.
import { withApp } from './cli.js';

await withApp(async (app) => {
  console.log(`Migrations applied (${app.ctx.database.kind}).`);
});
