export * from './enums.js';
export * from './users.js';
export * from './categories.js';
export * from './articles.js';
export * from './events.js';
export * from './preview-links.js';
export * from './webhooks.js';
export * from './media.js';
