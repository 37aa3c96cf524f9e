export {
  APP_ROLE,
  type HearthDb,
  type ListenHandlers,
  migrationsFolder,
  type Orm,
  rowsOf,
  type Schema,
  setTenant,
  type Tx,
  type Unlisten,
} from './database.js';
export * from './schema/index.js';
