import { input, must, patterns } from '../modules/inputs';

/** Inputs every module shares. */
export const nameInput = (what: string) =>
  input.string({
    description: `Name prefix for ${what}: lower-case letters, digits and hyphens, e.g. "shop-dev".`,
    constraints: [must.pattern(patterns.name, '3 to 32 lower-case letters, digits or hyphens, starting with a letter')],
  });

export const tagsInput = () => input.stringMap({ description: 'Tags added to every resource of the module.', default: {} });
