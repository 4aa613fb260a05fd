// The floor of section 10 (cold import) through CommonJS: a module with nothing in it.
module.exports = {};
