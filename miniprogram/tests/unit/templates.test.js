/** @jest-environment jsdom */
// Every page's and component's template compiles with WeChat's own WXML compiler (wcc, from
// miniprogram-compiler), and every style sheet with its WXSS compiler (wcsc), as DevTools would compile them.
const fs = require('fs')
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

test('every style sheet compiles with WeChat\'s own WXSS compiler (wcsc), care mode\'s selectors included', () => {
  const css = compiler.wxssToJs(ROOT) // throws on a sheet it cannot parse
  const sheets = ['app'].concat(app.pages, COMPONENTS.map(name => `components/${name}/index`))
    .filter(sheet => fs.existsSync(path.join(ROOT, `${sheet}.wxss`)))
  expect(sheets.length).toBeGreaterThan(20)
  sheets.forEach(sheet => expect([sheet, css.includes(`wxcs_fileinfo: ${sheet}.wxss`)]).toEqual([sheet, true]))
  expect(css).toContain('care wx-button[type\\x3d\\x22primary\\x22]:not([disabled]) { background-color: var(--c-button)')
})
