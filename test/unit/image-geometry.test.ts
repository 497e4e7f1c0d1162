import t from 'tap';
import { cropSteps, heightFor, parseAspect, planResize } from '../../src/lib/image-geometry.js';

const aspect = (s: string) => parseAspect(s)!;
const WIDTHS = [160, 320, 480, 640, 768, 1024, 1280, 1600, 1920];
const centre = { x: 0.5, y: 0.5 };

t.test('aspects and their heights', async (t) => {
  t.same(parseAspect('16:9'), { name: '16:9', width: 16, height: 9 });
  t.same(parseAspect(' 4:3 '), { name: '4:3', width: 4, height: 3 });
  for (const bad of ['16/9', '0:1', '1:0', '-1:2', '1:2:3', '1000:1', '04:3', '', '__proto__', 'a:b']) t.equal(parseAspect(bad), undefined, bad);
  t.equal(heightFor(640, aspect('16:9')), 360);
  t.equal(heightFor(320, aspect('3:4')), 427, 'rounded to the nearest pixel (426.67)');
  t.equal(heightFor(160, aspect('3:4')), 213, '213.33');
});

t.test('cover keeps the focal point in the window, as central as the edges allow', async (t) => {
  // 4:3 → 16:9 cuts top and bottom: the window is as wide as the scaled image.
  const wide = planResize({ width: 800, height: 600 }, { width: 640, height: 360 }, 'cover', { x: 0.9, y: 0.5 });
  t.same(wide, { scaled: { width: 640, height: 480 }, crop: { left: 0, top: 60, width: 640, height: 360 }, output: { width: 640, height: 360 } });

  // 4:3 → 3:4 cuts the sides: a focal point near the right edge pulls the window to that edge.
  const tall = planResize({ width: 800, height: 600 }, { width: 320, height: 427 }, 'cover', { x: 0.9, y: 0.5 });
  t.same(tall.output, { width: 320, height: 427 });
  t.same(tall.scaled, { width: 569, height: 427 });
  t.equal(tall.crop!.left, 249, 'clamped to the right edge (569 - 320)');
  const fx = 0.9 * tall.scaled.width;
  t.ok(fx >= tall.crop!.left && fx < tall.crop!.left + tall.crop!.width, 'the focal point is inside the window');

  // Away from the edges, the focal point is the window's centre.
  const mid = planResize({ width: 2000, height: 1000 }, { width: 500, height: 500 }, 'cover', { x: 0.3, y: 0.5 });
  t.same(mid.scaled, { width: 1000, height: 500 });
  t.equal(mid.crop!.left + mid.crop!.width / 2, 0.3 * 1000, 'centred on x = 0.3');

  for (const x of [0, 0.001, 0.25, 0.5, 0.75, 0.999, 1]) {
    for (const y of [0, 0.5, 1]) {
      const p = planResize({ width: 1234, height: 777 }, { width: 300, height: 300 }, 'cover', { x, y });
      const c = p.crop!;
      t.ok(c.left >= 0 && c.top >= 0 && c.left + c.width <= p.scaled.width && c.top + c.height <= p.scaled.height, `window inside the image (${x}, ${y})`);
      const px = x * p.scaled.width;
      const py = y * p.scaled.height;
      t.ok(px >= c.left && px <= c.left + c.width && py >= c.top && py <= c.top + c.height, `focal point in frame (${x}, ${y})`);
    }
  }
});

t.test('never upscaled: a box larger than the image shrinks and keeps its aspect', async (t) => {
  t.same(planResize({ width: 800, height: 600 }, { width: 1920 }, 'inside', centre).output, { width: 800, height: 600 });
  t.same(planResize({ width: 800, height: 600 }, { width: 400 }, 'inside', centre).output, { width: 400, height: 300 });
  t.same(planResize({ width: 800, height: 600 }, { height: 150 }, 'cover', centre).output, { width: 200, height: 150 }, 'one side: every fit is inside');
  t.same(planResize({ width: 800, height: 600 }, {}, 'inside', centre).output, { width: 800, height: 600 });
  const cover = planResize({ width: 800, height: 600 }, { width: 1920, height: 1080 }, 'cover', centre);
  t.same(cover.output, { width: 800, height: 450 }, '16:9 at the image’s own scale');
  t.same(cover.scaled, { width: 800, height: 600 });
  const contain = planResize({ width: 800, height: 600 }, { width: 1000, height: 1000 }, 'contain', centre);
  t.same(contain, { scaled: { width: 800, height: 600 }, canvas: { width: 800, height: 800 }, output: { width: 800, height: 800 } });
  const smaller = planResize({ width: 800, height: 600 }, { width: 400, height: 400 }, 'contain', centre);
  t.same(smaller, { scaled: { width: 400, height: 300 }, canvas: { width: 400, height: 400 }, output: { width: 400, height: 400 } });
  const inside = planResize({ width: 800, height: 600 }, { width: 400, height: 400 }, 'inside', centre);
  t.same(inside.output, { width: 400, height: 300 });
});

t.test('crop steps: the allowed widths an image can fill at an aspect', async (t) => {
  const steps = cropSteps({ width: 1200, height: 900 }, aspect('4:3'), WIDTHS);
  t.same(steps.map((s) => s.output.width), [160, 320, 480, 640, 768, 1024]);
  t.same(steps.at(-1), { requested: { width: 1024, height: 768 }, output: { width: 1024, height: 768 } }, 'a 1200×900 original gives 1024×768 at 4:3');
  t.same(cropSteps({ width: 1200, height: 900 }, aspect('16:9'), WIDTHS).at(-1)!.output, { width: 1024, height: 576 });
  t.same(cropSteps({ width: 1200, height: 900 }, aspect('1:1'), WIDTHS).at(-1)!.output, { width: 768, height: 768 });
  t.same(cropSteps({ width: 1200, height: 900 }, aspect('3:4'), WIDTHS).at(-1)!.output, { width: 640, height: 853 });
  const tiny = cropSteps({ width: 100, height: 80 }, aspect('16:9'), WIDTHS);
  t.same(tiny, [{ requested: { width: 160, height: 90 }, output: { width: 100, height: 56 } }], 'smaller than every width: one step at its own scale');
  t.same(cropSteps({ width: 6000, height: 4000 }, aspect('16:9'), WIDTHS).length, WIDTHS.length);
});
