export { createFetchHandler, type FetchHandlerOptions } from '../http/fetch.js';
