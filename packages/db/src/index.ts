export {
  APP_ROLE,
  type HearthDb,
  migrationsFolder,
  type Orm,
  rowsOf,
  type Schema,
  setTenant,
  type Tx,
} from './database.js';
export * from './schema/index.js';
