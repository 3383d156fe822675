// The project opens in WeChat DevTools: its JSON files, pages and components are where they must be.
const fs = require('fs')
const path = require('path')
const config = require('../../config')

const ROOT = path.join(__dirname, '..', '..')
const readJson = file => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'))
const app = readJson('app.json')

function sources(dir = ROOT, out = []) {
  fs.readdirSync(dir, { withFileTypes: true }).forEach(e => {
    if (['node_modules', 'tests', 'scripts'].includes(e.name)) return
    const full = path.join(dir, e.name)
    if (e.isDirectory()) sources(full, out)
    else if (/\.(js|wxml)$/.test(e.name)) out.push(full)
  })
  return out
}

test('the AppID is the one in config.js', () => {
  expect(readJson('project.config.json').appid).toBe(config.appId)
  expect(config.baseUrl).toMatch(/^https?:\/\/[^/]+$/)
})

test('location is declared as WeChat requires, with a Chinese reason', () => {
  expect(app.requiredPrivateInfos).toEqual(['getLocation', 'chooseLocation'])
  expect(app.permission['scope.userLocation'].desc).toMatch(/[\u4e00-\u9fff]{8,}/)
  expect(readJson('sitemap.json').rules.length).toBeGreaterThan(0)
})

test('every page has its files and every tab is a page', () => {
  app.pages.forEach(page => {
    ['js', 'json', 'wxml'].forEach(ext => expect(fs.existsSync(path.join(ROOT, `${page}.${ext}`))).toBe(true))
  })
  expect(app.tabBar.list.map(t => t.text)).toEqual(['首页', '地图', '公报', '我的'])
  app.tabBar.list.forEach(tab => expect(app.pages).toContain(tab.pagePath))
})

test('every component a page uses exists', () => {
  app.pages.forEach(page => {
    const using = readJson(`${page}.json`).usingComponents || {}
    Object.values(using).forEach(component => {
      expect(fs.existsSync(path.join(ROOT, `${component.replace(/^\//, '')}.json`))).toBe(true)
    })
  })
})

test('every page linked from the code is registered, and tabs are reached with switchTab', () => {
  const tabs = new Set(app.tabBar.list.map(t => `/${t.pagePath}`))
  sources().forEach(file => {
    const text = fs.readFileSync(file, 'utf8')
    for (const match of text.matchAll(/(navigateTo|redirectTo|switchTab|reLaunch)?\(?\{?\s*url:\s*`?'?(\/pages\/[\w/-]+)/g)) {
      const [, how, url] = match
      expect(app.pages).toContain(url.slice(1))
      if (how === 'navigateTo' || how === 'redirectTo') expect(tabs.has(url)).toBe(false)
    }
    for (const match of text.matchAll(/data-url="(\/pages\/[\w/-]+)(\?[^"]*)?"/g)) expect(app.pages).toContain(match[1].slice(1))
  })
})

test('every tab has its grey and blue icon: an 81x81 PNG under the 40 KB WeChat allows', () => {
  app.tabBar.list.forEach(tab => {
    [tab.iconPath, tab.selectedIconPath].forEach(icon => {
      expect(icon).toMatch(/^images\/tab\/[\w-]+\.png$/)
      const png = fs.readFileSync(path.join(ROOT, icon))
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([81, 81]) // IHDR width, height
      expect(png.length).toBeLessThan(40 * 1024)
    })
  })
})
