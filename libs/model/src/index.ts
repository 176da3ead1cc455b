export * from './core';
export * from './io';
