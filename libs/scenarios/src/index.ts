import { VERSION } from '@hatch/model';
export const X = VERSION;
