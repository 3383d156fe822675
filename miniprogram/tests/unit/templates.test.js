/** @jest-environment jsdom */
// Every page's and component's template compiles with WeChat's own WXML compiler (wcc, from
// miniprogram-compiler), as DevTools would compile it.
const path = require('path')
const compiler = require('miniprogram-compiler')
const app = require('../../app.json')

const ROOT = path.join(__dirname, '..', '..')
const COMPONENTS = ['marker-list', 'slot-picker', 'realname-form', 'rich-reader', 'subscription-editor']

test('every page and component template compiles', () => {
  window.__webview_engine_version__ = 0.02
  // eslint-disable-next-line no-new-func
  const gwx = new Function(compiler.wxmlToJs(ROOT))()
  const templates = app.pages.concat(COMPONENTS.map(name => `components/${name}/index`))
  const compiled = templates.filter(template => typeof gwx(`${template}.wxml`) === 'function')
  expect(compiled).toEqual(templates)
})
