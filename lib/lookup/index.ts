export * from './clock';
export * from './connect-client';
export * from './context-file';
export * from './list-claimed-numbers';
export * from './lookup-error';
export * from './target';
export * from './assume-role';
