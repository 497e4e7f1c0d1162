// @refinedev/simple-rest against the real app over HTTP: the scenarios of test/helpers/provider-suite.ts.
import t from 'tap';
import { providerSuite } from '../helpers/provider-suite.js';

await providerSuite(t, '@refinedev/simple-rest');
