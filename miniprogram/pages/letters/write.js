// 写留言: column, category, title, body, an optional place and photos, consent to publish the reply, and the
// contact phone (the bound one, shown masked, unless the resident gives another). In a 人民建议 column the
// resident may answer one of the open campaigns (征集主题), or make a suggestion of their own. The text and photos are
// checked by WeChat on the server; a refused text comes back as 422 content_rejected and is shown as is.
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')
const session = require('../../utils/session')
const subscribe = require('../../utils/subscribe')
const letters = require('../../utils/letters')
const validators = require('../../utils/validators')
const time = require('../../utils/time')

const REPLIED = ['letter_replied']
// The first choice of the campaign picker: a suggestion to no campaign.
const OWN_SUGGESTION = { id: null, title: '不针对征集主题', description: '', ends: '' }

Page({
  data: {
    care: false, columns: [], columnIndex: 0, categories: [], categoryIndex: -1,
    proposal: false, campaigns: [OWN_SUGGESTION], campaignIndex: 0,
    title: '', body: '', place: null, photos: [], consent: false,
    boundPhone: '', otherPhone: false, phone: '', sending: false, maxPhotos: letters.MAX_PHOTOS,
  },

  onShow() {
    care.apply(this)
  },

  async onLoad(options = {}) {
    this.askId = options.ask_id ? Number(options.ask_id) : null
    this.setData({ title: options.title ? decodeURIComponent(options.title).slice(0, 100) : '' })
    const [columns, categories, user, templates, campaigns] = await Promise.all([
      api.request(E.letterColumns).catch(() => []),
      api.request(E.questionCategories).catch(() => []),
      api.request(E.me).catch(() => session.user()),
      subscribe.loadTemplates().catch(() => []),
      api.request(E.campaigns).catch(() => []),
    ])
    this.templates = templates
    const wanted = options.category ? decodeURIComponent(options.category) : ''
    const boundPhone = (user && user.phone) || ''
    const active = columns.filter(c => c.is_active)
    this.setData({
      columns: active,
      campaigns: [OWN_SUGGESTION].concat(campaigns.filter(c => c.open).map(c => ({
        id: c.id, title: c.title, description: c.description, ends: time.dayLabel(c.ends_on).label }))),
      categories, categoryIndex: categories.findIndex(c => c.value === wanted),
      boundPhone, otherPhone: !boundPhone,
      proposal: Boolean(active[0] && active[0].kind === 'proposal'),
    })
  },

  onColumn(e) {
    const columnIndex = Number(e.detail.value)
    this.setData({ columnIndex, proposal: this.data.columns[columnIndex].kind === 'proposal', campaignIndex: 0 })
  },
  onCampaign(e) { this.setData({ campaignIndex: Number(e.detail.value) }) },
  onCategory(e) { this.setData({ categoryIndex: Number(e.detail.value) }) },
  onTitle(e) { this.setData({ title: e.detail.value }) },
  onBody(e) { this.setData({ body: e.detail.value }) },
  onConsent(e) { this.setData({ consent: e.detail.value }) },
  onPhone(e) { this.setData({ phone: e.detail.value }) },
  onOtherPhone() { this.setData({ otherPhone: true }) },

  onPlace() {
    wx.chooseLocation({
      success: res => this.setData({ place: { name: res.name || res.address, lon: res.longitude, lat: res.latitude } }),
      fail: () => null, // cancelled: no place
    })
  },

  onClearPlace() {
    this.setData({ place: null })
  },

  onAddPhoto() {
    const room = letters.MAX_PHOTOS - this.data.photos.length
    if (room <= 0) return
    wx.chooseMedia({
      count: room, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'],
      success: res => this.uploadAll(res.tempFiles),
      fail: () => null,
    })
  },

  async uploadAll(files) {
    for (const file of files) {
      if (file.size > letters.MAX_PHOTO_BYTES) {
        wx.showToast({ title: '照片不能超过5MB', icon: 'none' })
        continue
      }
      wx.showLoading({ title: '上传中' })
      const photo = await api.upload(E.letterPhotoUpload, { file: file.tempFilePath }).catch(() => null)
      wx.hideLoading()
      if (photo) this.setData({ photos: this.data.photos.concat({ id: photo.id, path: file.tempFilePath }) })
    }
  },

  onRemovePhoto(e) {
    const id = Number(e.currentTarget.dataset.id)
    this.setData({ photos: this.data.photos.filter(p => p.id !== id) })
  },

  // From the submit tap: WeChat only shows the subscribe dialog for a tap.
  async onSubmit() {
    if (this.data.sending) return
    const d = this.data
    const column = d.columns[d.columnIndex]
    const problem = letters.formProblem({ column: column && column.code, title: d.title, body: d.body, otherPhone: d.otherPhone, phone: d.phone })
    if (problem) {
      wx.showToast({ title: problem, icon: 'none' })
      return
    }
    await subscribe.record(await subscribe.ask(subscribe.templateIds(this.templates, REPLIED))).catch(() => null)
    this.setData({ sending: true })
    const category = d.categories[d.categoryIndex]
    const letter = await api.request(E.writeLetter, {
      data: {
        column: column.code, title: d.title.trim(), body: d.body.trim(), category: category ? category.value : null,
        place: d.place ? { lon: d.place.lon, lat: d.place.lat, coord: 'gcj02' } : null,
        photos: d.photos.map(p => p.id), publish_consent: d.consent,
        phone: d.otherPhone ? validators.checkPhone(d.phone).value : null, ask_id: this.askId,
        campaign_id: d.proposal ? d.campaigns[d.campaignIndex].id : null,
      },
    }).catch(() => null)
    this.setData({ sending: false })
    if (letter) wx.redirectTo({ url: `/pages/letters/detail?id=${letter.id}&created=1` })
  },
})
