// The real admin-UI data providers (react-admin's ra-data-json-server and ra-data-simple-rest,
// Refine's @refinedev/simple-rest), driven against the real app on a loopback port, over real
// HTTP, behind one set of operations. Each provider has a test file of its own
// (test/api/data-providers-*.test.ts) running the same scenarios (provider-scenarios.ts).
import type { AddressInfo } from 'node:net';
import type { HttpError as RefineHttpError } from '@refinedev/core';
import refineSimpleRest from '@refinedev/simple-rest';
import axios, { type AxiosInstance } from 'axios';
import { fetchUtils, type DataProvider, setSubmissionErrors } from 'ra-core';
import jsonServerProvider from 'ra-data-json-server';
import simpleRestProvider from 'ra-data-simple-rest';
import { createFormControl } from 'react-hook-form';
import type { TestApp } from './app.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records as the providers hand them over
export type Rec = Record<string, any>;
export type Filter = Record<string, unknown>;
export type Sort = { field: string; order: 'ASC' | 'DESC' };
export interface ListParams {
  page: number;
  perPage: number;
  sort: Sort;
  filter?: Filter;
}
export interface ListResult {
  data: Rec[];
  total: number | undefined;
}

/** The operations an admin UI performs, whatever the provider's own calling convention. */
export interface Ops {
  getList(resource: string, p: ListParams): Promise<ListResult>;
  getOne(resource: string, id: number): Promise<Rec>;
  getMany(resource: string, ids: number[]): Promise<Rec[]>;
  getManyReference(resource: string, target: string, id: number, p: Omit<ListParams, 'filter'>): Promise<ListResult>;
  create(resource: string, data: Rec): Promise<Rec>;
  /** data: what the UI sends (react-admin: the whole record it read, edited). */
  update(resource: string, id: number, data: Rec, previousData: Rec): Promise<Rec>;
  /** Resolves to the ids the provider reports as updated. */
  updateMany(resource: string, ids: number[], data: Rec): Promise<unknown[]>;
  delete(resource: string, id: number, previousData: Rec): Promise<Rec>;
  deleteMany(resource: string, ids: number[]): Promise<unknown[]>;
}

export interface ProviderCase {
  label: string;
  /** Distinguishes the names this provider's scenarios create. */
  tag: string;
  /** Builds the operations with a role's token. */
  ops(token: string): Ops;
  /** Extra facts about the provider, for assertions on what it sends. */
  updateSendsWholeRecord: boolean;
  /**
   * What the admin UI's form shows next to each field after a save failed with `err`: the
   * message per field path, as the UI framework's own form code puts it there.
   */
  formErrors(err: unknown): Record<string, string>;
}

/** Starts the test app on a loopback port; the providers talk to it over HTTP. */
export async function serve(ta: TestApp): Promise<string> {
  await ta.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = ta.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}/api/v1`;
}

// ── react-admin ──────────────────────────────────────────────────────────────────────────────────

function raHttpClient(token: string) {
  return (url: string, options: fetchUtils.Options = {}) => fetchUtils.fetchJson(url, { ...options, user: { authenticated: true, token: `Bearer ${token}` } });
}

function fromReactAdmin(dp: DataProvider): Ops {
  return {
    getList: async (resource, p) => {
      const r = await dp.getList(resource, { pagination: { page: p.page, perPage: p.perPage }, sort: p.sort, filter: p.filter ?? {} });
      return { data: r.data, total: r.total };
    },
    getOne: async (resource, id) => (await dp.getOne(resource, { id })).data,
    getMany: async (resource, ids) => (await dp.getMany(resource, { ids })).data,
    getManyReference: async (resource, target, id, p) => {
      const r = await dp.getManyReference(resource, { target, id, pagination: { page: p.page, perPage: p.perPage }, sort: p.sort, filter: {} });
      return { data: r.data, total: r.total };
    },
    create: async (resource, data) => (await dp.create(resource, { data })).data,
    update: async (resource, id, data, previousData) => (await dp.update<Rec & { id: number }>(resource, { id, data, previousData: previousData as Rec & { id: number } })).data,
    updateMany: async (resource, ids, data) => (await dp.updateMany(resource, { ids, data })).data as unknown[],
    delete: async (resource, id, previousData) => (await dp.delete<Rec & { id: number }>(resource, { id, previousData: previousData as Rec & { id: number } })).data,
    deleteMany: async (resource, ids) => (await dp.deleteMany(resource, { ids })).data as unknown[],
  };
}

/**
 * react-admin's way from a failed save to its form (ra-core 5): useEditController's and
 * useCreateController's save resolve to `error.body.errors` when the HttpError has them, and the
 * form (useAugmentedForm) hands that object to setSubmissionErrors with react-hook-form's
 * setError. Here the same exported function, with a real react-hook-form control.
 */
function reactAdminFormErrors(err: unknown): Record<string, string> {
  const errors = (err as { body?: { errors?: Record<string, string> } }).body?.errors;
  const form = createFormControl();
  if (errors != null) setSubmissionErrors(errors, form.setError);
  return fieldMessages(form.getErrors());
}

/** The error messages of a react-hook-form error tree, by dotted path. */
function fieldMessages(tree: object, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, node] of Object.entries(tree)) {
    if (node && typeof node === 'object' && typeof (node as { message?: unknown }).message === 'string' && 'type' in node) out[`${prefix}${key}`] = (node as { message: string }).message;
    else if (node && typeof node === 'object') Object.assign(out, fieldMessages(node as object, `${prefix}${key}.`));
  }
  return out;
}

// ── Refine ───────────────────────────────────────────────────────────────────────────────────────

/** Refine filters from a react-admin style filter object: q, field_like → contains, arrays → in. */
function refineFilters(filter: Filter = {}) {
  return Object.entries(filter).map(([key, value]) => {
    if (key === 'q') return { field: 'q', operator: 'eq' as const, value };
    if (key.endsWith('_like')) return { field: key.slice(0, -'_like'.length), operator: 'contains' as const, value };
    if (Array.isArray(value)) return { field: key, operator: 'in' as const, value };
    return { field: key, operator: 'eq' as const, value };
  });
}

/**
 * An axios instance as Refine's docs set one up for server-side form validation: a rejected
 * request becomes Refine's HttpError, whose `errors` its forms (useForm of @refinedev/react-hook-form,
 * antd, mantine) put next to each field. The stock @refinedev/simple-rest instance copies
 * `message` and `statusCode` but not `errors`.
 */
export function refineAxios(token: string): AxiosInstance {
  const http = axios.create({ headers: { Authorization: `Bearer ${token}` } });
  http.interceptors.response.use(undefined, (error: { response?: { status: number; data?: { message?: string; errors?: RefineHttpError['errors'] } } }) => {
    const httpError: RefineHttpError = {
      ...error,
      message: error.response?.data?.message ?? 'Request failed',
      statusCode: error.response?.status ?? 0,
      errors: error.response?.data?.errors,
    };
    return Promise.reject(httpError);
  });
  return http;
}

function fromRefine(apiUrl: string, http: AxiosInstance): Ops {
  // The package's types name axios' CommonJS declarations; the instance is the same at run time.
  const dp = refineSimpleRest(apiUrl, http as unknown as Parameters<typeof refineSimpleRest>[1]);
  const sorters = (s: Sort) => [{ field: s.field, order: s.order.toLowerCase() as 'asc' | 'desc' }];
  const ops: Ops = {
    getList: async (resource, p) => {
      const r = await dp.getList({ resource, pagination: { currentPage: p.page, pageSize: p.perPage }, sorters: sorters(p.sort), filters: refineFilters(p.filter) });
      return { data: r.data as Rec[], total: r.total };
    },
    getOne: async (resource, id) => (await dp.getOne({ resource, id })).data as Rec,
    getMany: async (resource, ids) => (await dp.getMany({ resource, ids })).data as Rec[],
    // Refine reads references with getList and a filter on the target field.
    getManyReference: (resource, target, id, p) => ops.getList(resource, { ...p, filter: { [target]: id } }),
    create: async (resource, data) => (await dp.create({ resource, variables: data })).data as Rec,
    update: async (resource, id, data) => (await dp.update({ resource, id, variables: data })).data as Rec,
    // @refinedev/simple-rest has no updateMany/deleteMany: Refine's core then calls update/deleteOne per id.
    updateMany: async (resource, ids, data) => Promise.all(ids.map(async (id) => (await dp.update({ resource, id, variables: data })).data.id)),
    delete: async (resource, id) => (await dp.deleteOne({ resource, id })).data as Rec,
    deleteMany: async (resource, ids) => Promise.all(ids.map(async (id) => (await dp.deleteOne({ resource, id })).data.id)),
  };
  return ops;
}

/** Refine's forms show `errors[field]` (a string, a list of strings, or { key, message }). */
function refineFormErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, e] of Object.entries((err as RefineHttpError).errors ?? {})) {
    if (typeof e === 'string') out[field] = e;
    else if (Array.isArray(e)) out[field] = e.join(' ');
    else if (typeof e === 'object') out[field] = e.message;
  }
  return out;
}

// ── The three ────────────────────────────────────────────────────────────────────────────────────

export const PROVIDERS = {
  'ra-data-json-server': (apiUrl: string): ProviderCase => ({
    label: 'ra-data-json-server',
    tag: 'A',
    ops: (token) => fromReactAdmin(jsonServerProvider(apiUrl, raHttpClient(token))),
    updateSendsWholeRecord: true,
    formErrors: reactAdminFormErrors,
  }),
  'ra-data-simple-rest': (apiUrl: string): ProviderCase => ({
    label: 'ra-data-simple-rest',
    tag: 'B',
    ops: (token) => fromReactAdmin(simpleRestProvider(apiUrl, raHttpClient(token), 'Content-Range')),
    updateSendsWholeRecord: true,
    formErrors: reactAdminFormErrors,
  }),
  '@refinedev/simple-rest': (apiUrl: string): ProviderCase => ({
    label: '@refinedev/simple-rest',
    tag: 'C',
    ops: (token) => fromRefine(apiUrl, refineAxios(token)),
    updateSendsWholeRecord: false,
    formErrors: refineFormErrors,
  }),
};

/** The status and problem body of a failed provider call (react-admin HttpError or Refine HttpError). */
export async function failure(p: Promise<unknown>): Promise<{ status: number | undefined; body: Rec | undefined; error?: unknown }> {
  try {
    await p;
  } catch (err) {
    const e = err as { status?: number; body?: Rec; statusCode?: number; response?: { status: number; data: Rec } };
    if (e.response) return { status: e.response.status, body: e.response.data, error: err };
    if (typeof e.status === 'number') return { status: e.status, body: e.body, error: err };
    throw err;
  }
  return { status: 200, body: undefined };
}
