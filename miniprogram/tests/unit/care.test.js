// 关怀模式 (care mode) on the main pages: it follows WeChat's font size and the switch in 我的; in care mode body
// text is at least 36rpx (18px), line height at least 1.3, touch targets at least 120rpx (60px) and text at least
// 4.5:1 against its background; every tappable element says what it is to a screen reader.
const fs = require('fs')
const path = require('path')
const care = require('../../utils/care')
const { createWx } = require('../fake-wx')
const { loadPage, createApp } = require('../page-harness')
const { render, rootView, classes } = require('../page-view')

const ROOT = path.join(__dirname, '..', '..')
const read = file => fs.readFileSync(path.join(ROOT, file), 'utf8')

// Every page (the main ones, the booking flow and the gazette reader among them) with the components it uses.
const PAGES = JSON.parse(read('app.json')).pages

function componentsOf(page) {
  const using = JSON.parse(read(`${page}.json`)).usingComponents || {}
  return Object.values(using).map(c => c.replace(/^\//, ''))
}

const FILES = [...new Set(PAGES.flatMap(p => [p, ...componentsOf(p)]))]

/** Custom properties declared in the first rule of app.wxss whose selector is exactly `selector`. */
function variables(selector) {
  const block = new RegExp(`(?:^|\\n)${selector.replace('.', '\\.')} \\{([^}]*)\\}`).exec(read('app.wxss'))[1]
  return Object.fromEntries([...block.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map(m => [m[1], m[2].trim()]))
}

function luminance(hex) {
  let h = hex.replace('#', '')
  if (h.length === 3) h = h.split('').map(c => c + c).join('')
  const [r, g, b] = [0, 2, 4].map(i => parseInt(h.slice(i, i + 2), 16) / 255)
    .map(v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
  return (x + 0.05) / (y + 0.05)
}

function wxWith(info, stored) {
  const wx = createWx()
  wx.getAppBaseInfo = () => Object.assign({ SDKVersion: '3.3.0' }, info)
  if (stored) wx.setStorageSync(care.KEY, stored)
  global.wx = wx
  return wx
}

describe('turning care mode on', () => {
  test.each([
    [{}, '', false],
    [{ fontSizeSetting: 17 }, '', false],
    [{ fontSizeSetting: 20 }, '', true],
    [{ fontSizeScaleFactor: 1.25 }, '', true],
    [{ fontSizeSetting: 22 }, 'off', false],
    [{ fontSizeSetting: 17 }, 'on', true],
  ])('WeChat font %j with the choice %p in 我的: %p', (info, stored, on) => {
    wxWith(info, stored)
    expect(care.isOn()).toBe(on)
  })

  test('older clients without getAppBaseInfo are read through getSystemInfoSync', () => {
    const wx = createWx()
    wx.getSystemInfoSync = () => ({ fontSizeSetting: 21, windowWidth: 375 })
    global.wx = wx
    expect(care.isOn()).toBe(true)
  })

  test.each(PAGES)('%s shows in care mode with WeChat\'s large font, and in the standard look without', async route => {
    for (const [fontSizeSetting, on] of [[22, true], [17, false]]) {
      const wx = wxWith({ fontSizeSetting })
      const page = loadPage(route, { wx, app: createApp(wx) })
      await Promise.resolve(page.onShow()).catch(() => null)
      if (page.onUnload) page.onUnload() // the queue page polls until it is left
      expect([fontSizeSetting, page.data.care]).toEqual([fontSizeSetting, on])
      // The rendered template's root view carries the class app.wxss enlarges.
      expect([fontSizeSetting, classes(rootView(render(page))).includes('care')]).toEqual([fontSizeSetting, on])
    }
  })

  test('the switch in 我的 is stored and wins over WeChat\'s font size, and can follow it again', async () => {
    const wx = wxWith({ fontSizeSetting: 22 })
    wx.setNavigationBarColor = arg => (wx.calls.setNavigationBarColor = wx.calls.setNavigationBarColor || []).push(arg)
    const me = loadPage('pages/me/me', { wx })
    me.onShow()
    expect(me.data).toMatchObject({ care: true, careFollows: true })
    me.onCare({ detail: { value: false } })
    expect(me.data).toMatchObject({ care: false, careFollows: false })
    expect(classes(rootView(render(me)))).not.toContain('care')
    expect(wx.getStorageSync(care.KEY)).toBe('off')
    expect(wx.calls.setNavigationBarColor.pop().backgroundColor).toBe(care.NORMAL_ACCENT)

    const again = loadPage('pages/me/me', { wx })
    again.onShow()
    expect(again.data.care).toBe(false)
    again.onCareFollow()
    expect(again.data).toMatchObject({ care: true, careFollows: true })
    expect(classes(rootView(render(again)))).toContain('care')
    expect(wx.getStorageSync(care.KEY)).toBe('')
    expect(wx.calls.setNavigationBarColor.pop().backgroundColor).toBe(care.CARE_ACCENT)
  })
})

describe('what care mode does to the main pages', () => {
  test.each(PAGES)('%s wraps everything in a root view that carries the care class', page => {
    const wxml = read(`${page}.wxml`).trim()
    expect(wxml.startsWith('<view class="page {{care ? \'care\' : \'\'}}">')).toBe(true)
    expect(wxml.endsWith('</view>')).toBe(true)
  })

  // What a resident touches: anything with a tap handler, a button of WeChat's (open-type: phone number, privacy
  // consent), a picker, a switch or checkbox, a text field.
  const TAG = String.raw`<([a-z][\w-]*)\b((?:[^<>"]|"[^"]*")*)>`
  function controls(wxml) {
    return [...wxml.matchAll(new RegExp(TAG, 'g'))].map(([tag, name, attrs]) => ({ tag, name, attrs }))
      .filter(({ name, attrs }) => /\b(?:bind|catch)tap=|\bopen-type="/.test(attrs) || ['picker', 'switch', 'checkbox', 'input', 'textarea'].includes(name))
  }
  const hasClass = (attrs, name) => new RegExp(String.raw`\bclass="[^"]*\b${name}\b`).test(attrs)

  test.each(FILES)('every control of %s is a touch target with a role (text fields: a label) for screen readers', file => {
    const wxml = read(`${file}.wxml`)
    controls(wxml).forEach(({ tag, name, attrs }) => {
      expect([tag, /\baria-label="[^"]+"/.test(attrs)]).toEqual([tag, true])
      if (name !== 'input' && name !== 'textarea') expect([tag, /\baria-role="\w+"/.test(attrs)]).toEqual([tag, true])
      if (name === 'switch' || name === 'checkbox') return
      expect([tag, hasClass(attrs, 'tap')]).toEqual([tag, true])
    })
    // A switch or checkbox is small and fixed by WeChat: its row is a <label> touch target that toggles it.
    const labels = [...wxml.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/g)]
    controls(wxml).filter(c => c.name === 'switch' || c.name === 'checkbox').forEach(({ tag }) => {
      const label = labels.find(([, , inner]) => inner.includes(tag))
      expect([tag, Boolean(label) && hasClass(label[1], 'tap')]).toEqual([tag, true])
    })
  })

  test('the controls check sees what it must: 我的 has the phone-number button, the care switch and the privacy rows', () => {
    const names = controls(read('pages/me/me.wxml')).map(c => (c.attrs.match(/aria-label="([^"{]+)/) || [])[1])
    expect(names).toEqual(expect.arrayContaining(['绑定手机号', '关怀模式', '已收集个人信息清单', '第三方共享清单']))
    expect(controls(read('components/realname-form/index.wxml')).map(c => c.name))
      .toEqual(['input', 'input', 'input', 'checkbox', 'text', 'button'])
  })

  test('care mode sets text at 36rpx or more, line height 1.3 or more, touch targets 120rpx or more', () => {
    const normal = variables('page')
    const cared = variables('.care')
    const fontVars = Object.keys(normal).filter(name => name.startsWith('--fs-'))
    expect(fontVars.length).toBeGreaterThan(3)
    fontVars.forEach(name => expect([name, parseInt(cared[name], 10) >= 36]).toEqual([name, true]))
    expect(Number(cared['--lh'])).toBeGreaterThanOrEqual(1.3)
    expect(parseInt(cared['--tap-min'], 10)).toBeGreaterThanOrEqual(120)
    expect(read('app.wxss')).toMatch(/\.tap \{ min-height: var\(--tap-min\); min-width: var\(--tap-min\);/)
  })

  test.each(FILES)('%s sizes its text through the variables care mode enlarges', file => {
    const wxss = fs.existsSync(path.join(ROOT, `${file}.wxss`)) ? read(`${file}.wxss`) : ''
    // Any other size (rpx, px, em, %, a keyword) would stay put when care mode raises the variables.
    expect(wxss.match(/font-size:(?!\s*var\(--fs-)[^;}]+/g)).toBeNull()
    const inline = [...read(`${file}.wxml`).matchAll(/style="[^"]*font-size:[^"]*"/g)].map(m => m[0])
    expect(inline.filter(style => !style.includes('font-size: {{size}}px'))).toEqual([]) // rich-reader's, tested there
    ;[...wxss.matchAll(/line-height:\s*([\d.]+)\s*;/g)].forEach(m => expect(Number(m[1])).toBeGreaterThanOrEqual(1.3))
    if (file.startsWith('components/') && /\btap\b/.test(read(`${file}.wxml`))) {
      expect(wxss).toMatch(/\.tap \{ min-height: var\(--tap-min\); min-width: var\(--tap-min\);/)
    }
  })

  const wxssOf = file => (fs.existsSync(path.join(ROOT, `${file}.wxss`)) ? read(`${file}.wxss`) : '')
  const literal = pattern => [...new Set(FILES.concat(['app']).flatMap(file => [...wxssOf(file).matchAll(pattern)].map(m => m[1].toLowerCase())))]
  const isWhite = colour => /^#fff(fff)?$/i.test(colour)

  test('in care mode every text colour has 4.5:1 against every light background the styles use; dark ones carry white text', () => {
    const cared = variables('.care')
    const variablesUsed = Object.keys(cared).filter(name => name.startsWith('--c-')).map(name => cared[name])
    // Colours written out (not through a variable) stay as they are in care mode: they must pass already.
    const texts = variablesUsed.concat(literal(/(?:^|[;{\s])color:\s*(#[0-9a-fA-F]{3,6})/g).filter(c => !isWhite(c)))
    const backgrounds = literal(/background(?:-color)?:\s*(#[0-9a-fA-F]{3,6})/g)
    const light = ['#ffffff'].concat(backgrounds.filter(bg => luminance(bg) > 0.4))
    const dark = backgrounds.filter(bg => luminance(bg) <= 0.4).concat(variablesUsed)
    expect(light).toEqual(expect.arrayContaining(['#f5f6f7', '#fff7e6', '#e8f1ff', '#f7f7f7']))
    texts.forEach(colour => light.forEach(bg => expect([colour, bg, contrast(colour, bg) >= 4.5]).toEqual([colour, bg, true])))
    dark.forEach(bg => expect([bg, 'under white', contrast(bg, '#ffffff') >= 4.5]).toEqual([bg, 'under white', true]))
    expect(cared['--c-accent']).toBe(care.CARE_ACCENT)
    expect(contrast(care.CARE_ACCENT, '#ffffff')).toBeGreaterThanOrEqual(4.5)
  })

  test('in care mode WeChat\'s primary button (white on #07c160, 2.4:1) takes --c-button, on pages and in components', () => {
    expect(contrast('#07c160', '#ffffff')).toBeLessThan(4.5)
    expect(contrast(variables('.care')['--c-button'], '#ffffff')).toBeGreaterThanOrEqual(4.5)
    expect(read('app.wxss')).toMatch(/\.care button\[type="primary"\]:not\(\[disabled\]\) \{ background-color: var\(--c-button\); \}/)
    FILES.filter(f => f.startsWith('components/')).forEach(file => {
      ;[...read(`${file}.wxml`).matchAll(/<button\b[^>]*type="primary"[^>]*>/g)].forEach(([button]) => {
        const cls = button.match(/class="([^"]*)"/)[1].split(/\s+/).filter(c => c !== 'tap')[0]
        expect([file, wxssOf(file).includes(`.${cls}.tap { background-color: var(--c-button); }`)]).toEqual([file, true])
      })
    })
  })
})
