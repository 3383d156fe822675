// Unit, page-logic and static contract tests run in node; component tests opt into jsdom with a docblock.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.js'],
  testTimeout: 15000,
}
