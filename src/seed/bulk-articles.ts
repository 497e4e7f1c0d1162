// Bulk seeding for benchmarks and scale tests: realistic Vietnamese articles (titles, leads,
// ~3 KB bodies, a two-level category tree, tags, credits), all published, generated inside the
// database with generate_series so that a million rows take minutes, not hours.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { categories } from '../db/schema/index.js';
import { slugify } from '../lib/slug.js';

export const CATEGORY_TREE: Array<[string, string[]]> = [
  ['Thời sự', ['Trong tỉnh', 'Trong nước', 'Quốc tế', 'Chính trị']],
  ['Kinh tế', ['Nông nghiệp', 'Thị trường', 'Doanh nghiệp', 'Đầu tư']],
  ['Văn hóa - Xã hội', ['Giáo dục', 'Y tế', 'Du lịch', 'Văn nghệ']],
  ['Tin hoạt động', ['Đảng bộ', 'Chính quyền', 'Mặt trận', 'Đoàn thể']],
];

// 19 × 21 = 399 commune names ("Tân Hồng", "Mỹ Quý", …), so that a search for one is selective.
const PLACE_FIRST = ['Tân', 'Mỹ', 'An', 'Bình', 'Phú', 'Long', 'Thanh', 'Hòa', 'Thường', 'Định', 'Hưng', 'Phong', 'Tịnh', 'Vĩnh', 'Nhị', 'Gáo', 'Trường', 'Hội', 'Lục'];
const PLACE_SECOND = ['Hồng', 'Quý', 'Phước', 'Thành', 'Khánh', 'Lợi', 'Hiệp', 'Xuân', 'Điền', 'Yên', 'Thạnh', 'Hựu', 'Giồng', 'Sơn', 'Mỹ', 'Đông', 'Tây', 'Hải', 'Phát', 'Châu', 'Nghĩa'];
const PLACES = PLACE_FIRST.flatMap((a) => PLACE_SECOND.map((b) => `${a} ${b}`));
const SUBJECTS = ['Kỳ họp HĐND', 'Hội nghị Ban Chấp hành Đảng bộ', 'Lễ khởi công', 'Ngày hội đại đoàn kết', 'Mô hình trồng sen', 'Hợp tác xã nông nghiệp', 'Chương trình nông thôn mới', 'Diễn tập phòng thủ', 'Trao tặng nhà tình nghĩa', 'Tuyên truyền an toàn giao thông', 'Xuất khẩu xoài', 'Phòng chống dịch bệnh', 'Hội thi tay nghề', 'Giải bóng đá thiếu niên', 'Lễ hội đua ghe'];
const VERBS = ['tổng kết', 'triển khai', 'đánh giá', 'khai mạc', 'bế mạc', 'ra mắt', 'hưởng ứng', 'sơ kết'];
const SENTENCES = [
  'Trong 6 tháng đầu năm, mặc dù còn gặp nhiều khó khăn, các ngành, các cấp đã tập trung lãnh đạo, chỉ đạo và đạt nhiều kết quả quan trọng.',
  'Các xã tiếp tục duy trì và nâng cao các tiêu chí nông thôn mới, đời sống người dân từng bước được cải thiện.',
  'Địa phương đã triển khai nhiều hoạt động quảng bá, kêu gọi đầu tư vào các khu kinh tế cửa khẩu biên giới.',
  'An sinh xã hội được quan tâm, an ninh trật tự trên tuyến biên giới được giữ vững.',
  'Hội nghị đề ra nhiệm vụ trọng tâm: đẩy nhanh tiến độ các công trình thủy lợi phục vụ sản xuất, nâng cao chất lượng hợp tác xã.',
  'Bà con nông dân phấn khởi khi giá lúa vụ hè thu tăng, nhiều hộ có lãi từ 20 đến 25 triệu đồng mỗi héc-ta.',
  'Ngành y tế khuyến cáo người dân chủ động phòng chống sốt xuất huyết trong mùa mưa.',
  'Đoàn thanh niên tổ chức nhiều hoạt động tình nguyện hè, giúp đỡ gia đình chính sách và học sinh nghèo.',
  'Lãnh đạo huyện ghi nhận, biểu dương những tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua yêu nước.',
  'Các đại biểu thống nhất cao với báo cáo và kiến nghị tỉnh quan tâm hỗ trợ nguồn vốn cho các dự án trọng điểm.',
  'Lễ hội thu hút hàng ngàn lượt du khách trong và ngoài tỉnh, góp phần quảng bá hình ảnh quê hương Đồng Tháp.',
  'Mô hình liên kết sản xuất theo chuỗi giá trị giúp nông dân giảm chi phí, tăng thu nhập ổn định.',
];
const TAGS = ['Đồng Tháp', 'Nông thôn mới', 'Đảng bộ', 'Kinh tế', 'Giáo dục', 'Y tế', 'Du lịch', 'Biên giới', 'Nông nghiệp', 'Thanh niên'];
const PEOPLE = ['Kim Lệ', 'Chí Dũng', 'Thanh Tâm', 'Minh Trí', 'Ngọc Hân', 'Hữu Nghĩa', 'Bảo Trân', 'Quốc Việt'];

const textArray = (xs: string[]) => sql`ARRAY[${sql.join(xs.map((x) => sql`${x}`), sql`, `)}]::text[]`;

/** The 20 categories of the tree; returns the ids of the leaves. */
export async function ensureBenchCategories(db: Db): Promise<number[]> {
  const leaves: number[] = [];
  for (const [parentName, children] of CATEGORY_TREE) {
    const parent = await upsertCategory(db, parentName, null);
    for (const child of children) leaves.push(await upsertCategory(db, child, parent));
  }
  return leaves;
}

async function upsertCategory(db: Db, name: string, parentId: number | null): Promise<number> {
  const slug = slugify(name, 'chuyen-muc');
  const [row] = await db
    .insert(categories)
    .values({ name, slug, parentId })
    .onConflictDoUpdate({ target: categories.slug, set: { name } })
    .returning({ id: categories.id });
  return row.id;
}

/**
 * Inserts `count` published articles (working copy and live version) numbered from `from`.
 * Deterministic: the same numbers give the same content.
 */
export async function insertPublishedArticles(db: Db, opts: { from: number; count: number; categoryIds: number[]; authorId: number | null; newest: Date; paragraphs?: number }) {
  const { from, count, categoryIds, authorId, newest } = opts;
  // Eight paragraphs (~3 KB) by default; fewer make a large load quicker where bodies do not matter (sitemaps).
  const steps = [0, 1, 2, 3, 5, 7, 9, 11].slice(0, Math.max(1, Math.min(8, opts.paragraphs ?? 8)));
  const paragraphs = SENTENCES.map((_, i) => `<p>${[0, 1, 2, 3].map((k) => SENTENCES[(i + k * 5) % SENTENCES.length]).join(' ')}</p>`);
  await db.execute(sql`
    WITH src AS (
      SELECT g,
        (${textArray(SUBJECTS)})[1 + (g % ${SUBJECTS.length})] || ' ' || (${textArray(PLACES)})[1 + (((g % ${PLACES.length}) * 7919) % ${PLACES.length})]
          || ' ' || (${textArray(VERBS)})[1 + ((g / 3) % ${VERBS.length})] || ' năm ' || (2000 + g % 26) AS title,
        ${textArray(paragraphs)} AS paras
      FROM generate_series(${from}::int, ${from + count - 1}::int) AS g
    )
    , ins AS (
    INSERT INTO articles (title, slug, summary, body, category_id, tags, credits, author_id, status, published_at, created_at, updated_at)
    SELECT title,
      trim(both '-' from regexp_replace(lower(public.f_unaccent(title)), '[^a-z0-9]+', '-', 'g')) || '-' || g,
      'Sáng nay, ' || title || '. ' || paras[1 + (g % ${paragraphs.length})],
      ${sql.join(steps.map((k) => sql`paras[1 + ((g + ${sql.raw(String(k))}) % ${paragraphs.length})]`), sql` || `)},
      (${sql`ARRAY[${sql.join(categoryIds.map((id) => sql`${id}`), sql`, `)}]::int[]`})[1 + (g % ${categoryIds.length})],
      ARRAY[(${textArray(TAGS)})[1 + (g % ${TAGS.length})], (${textArray(TAGS)})[1 + ((g / 10) % ${TAGS.length})]],
      jsonb_build_array(
        jsonb_build_object('role', 'editor', 'name', (${textArray(PEOPLE)})[1 + (g % ${PEOPLE.length})]),
        jsonb_build_object('role', 'photographer', 'name', (${textArray(PEOPLE)})[1 + ((g / 8) % ${PEOPLE.length})])),
      ${authorId}::int, 'published',
      ${newest.toISOString()}::timestamptz - (g * interval '37 seconds'),
      ${newest.toISOString()}::timestamptz - (g * interval '37 seconds'),
      ${newest.toISOString()}::timestamptz - (g * interval '37 seconds')
    FROM src
    RETURNING *)
    INSERT INTO article_live (article_id, title, slug, summary, body, category_id, tags, cover_media_id, credits, author_id, published_at, visible_from, created_at, updated_at)
    SELECT id, title, slug, summary, body, category_id, tags, cover_media_id, credits, author_id, published_at, published_at, created_at, updated_at
    FROM ins`);
}

const BULK_TABLES = ['articles', 'article_live'];

/**
 * Runs a bulk load with the secondary indexes of the article tables dropped, then rebuilds them
 * from their saved definitions: one sorted build per index instead of a million GIN and B-tree
 * insertions. Constraint indexes (primary keys) stay; a unique index such as the slug's is
 * rebuilt too, and a duplicate loaded meanwhile would fail its rebuild. For a database of its own
 * (the benchmark's), never for one that serves readers.
 */
export async function withIndexesRebuiltAfter<T>(db: Db, load: () => Promise<T>): Promise<T> {
  const indexes = rowsOf<{ name: string; def: string }>(await db.execute(sql`
    SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
    WHERE i.schemaname = 'public' AND i.tablename IN (${sql.join(BULK_TABLES.map((t) => sql`${t}`), sql`, `)})
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`));
  for (const { name } of indexes) await db.execute(sql`DROP INDEX ${sql.identifier(name)}`);
  try {
    return await load();
  } finally {
    await db.execute(sql`SET maintenance_work_mem = '512MB'`);
    for (const { def } of indexes) await db.execute(sql.raw(def));
  }
}
