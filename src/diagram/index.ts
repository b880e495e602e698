export * from './catalog';
export * from './graph';
export * from './mermaid';
