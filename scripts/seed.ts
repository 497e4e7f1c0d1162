// npm run seed: the sample category tree and article, and the "Trang chủ" front page holding it (idempotent).
import { seedFrontPage } from '../src/seed/front-page.js';
import { seedSampleContent } from '../src/seed/sample-content.js';
import { withApp } from './cli.js';

await withApp(async (app) => {
  const result = await seedSampleContent(app.ctx);
  console.log(result.created ? `Seeded the sample article "${result.slug}".` : `The sample article "${result.slug}" is already there.`);
  const front = await seedFrontPage(app.ctx, [result.id]);
  console.log(front.created ? `Seeded the front page /api/v1/collections/${front.slug}.` : `The front page "${front.slug}" is already there.`);
});
