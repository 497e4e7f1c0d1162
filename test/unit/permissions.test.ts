import t from 'tap';
import { articleEditRefusal, canEditMedia, hasPermission, PERMISSIONS, type Permission } from '../../src/policy/permissions.js';
import { ROLES } from '../../src/policy/roles.js';

// API.md §4, written out independently of the module.
const expected: Record<Permission, string[]> = {
  'article.read-working': ['author', 'editor', 'admin'],
  'article.create': ['author', 'editor', 'admin'],
  'article.edit': ['author', 'editor', 'admin'],
  'article.delete': ['admin'],
  'category.write': ['editor', 'admin'],
  'collection.read': ['author', 'editor', 'admin'],
  'collection.write': ['editor', 'admin'],
  'media.read': ['author', 'editor', 'admin'],
  'media.upload': ['author', 'editor', 'admin'],
  'media.edit': ['author', 'editor', 'admin'],
  'media.delete': ['editor', 'admin'],
  'user.manage': ['admin'],
  'webhook.manage': ['admin'],
};

t.test('permission table, cell by cell', async (t) => {
  t.same(Object.keys(PERMISSIONS).sort(), Object.keys(expected).sort());
  for (const [perm, roles] of Object.entries(expected)) {
    for (const role of ROLES) {
      t.equal(hasPermission({ id: 1, role }, perm as Permission), roles.includes(role), `${role} ${perm}`);
    }
    t.equal(hasPermission(null, perm as Permission), false, `anonymous ${perm}`);
  }
});

t.test('authors edit only their own drafts', async (t) => {
  const author = { id: 7, role: 'author' as const };
  t.equal(articleEditRefusal(author, { authorId: 7, status: 'draft' }), null);
  t.equal(articleEditRefusal(author, { authorId: 8, status: 'draft' }), 'not_owner');
  t.equal(articleEditRefusal(author, { authorId: 7, status: 'in_review' }), 'not_draft');
  t.equal(articleEditRefusal(author, { authorId: null, status: 'draft' }), 'not_owner');
  for (const role of ['editor', 'admin'] as const) {
    t.equal(articleEditRefusal({ id: 1, role }, { authorId: 7, status: 'published' }), null, `${role} edits any`);
  }
});

t.test('media edit ownership', async (t) => {
  t.ok(canEditMedia({ id: 7, role: 'author' }, { uploadedBy: 7 }));
  t.notOk(canEditMedia({ id: 7, role: 'author' }, { uploadedBy: 8 }));
  t.ok(canEditMedia({ id: 1, role: 'editor' }, { uploadedBy: 8 }));
});
