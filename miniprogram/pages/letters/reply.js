// One published letter and its reply (the writer's personal data removed).
const api = require('../../utils/api')
const E = require('../../utils/endpoints')
const care = require('../../utils/care')
const time = require('../../utils/time')

Page({
  data: { care: false, letter: null },

  onShow() {
    care.apply(this)
  },

  async onLoad(options) {
    const letter = await api.request(E.publicLetter, { path: { letter_id: Number(options.id) } }).catch(() => null)
    if (letter) this.setData({ letter: Object.assign({}, letter, { at: time.dateTime(letter.created_at), repliedAt: letter.replied_at ? time.dateTime(letter.replied_at) : '' }) })
  },
})
