// npm run seed: the sample category tree and article (idempotent).
import { seedSampleContent } from '../src/seed/sample-content.js';
import { withApp } from './cli.js';

await withApp(async (app) => {
  const result = await seedSampleContent(app.ctx);
  console.log(result.created ? `Seeded the sample article "${result.slug}".` : `The sample article "${result.slug}" is already there.`);
});
