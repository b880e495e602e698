export * from './lines';
export * from './estimate';
export * from './levers';
export * from './anchors';
export * from './report';
export * as prices from './prices';
export { invocationsPerMonth } from './sections';
