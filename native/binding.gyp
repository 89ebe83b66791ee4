{
  "variables": {
    "zstd_lib": "<!(node -p \"require('path').relative(process.cwd(), require('path').join(require('path').dirname(require.resolve('zstd-napi/package.json')), 'deps', 'zstd', 'lib'))\")"
  },
  "targets": [
    {
      "target_name": "scry_native",
      "sources": ["src/addon.cc", "src/probe.cc", "src/scry_codec.cc", "src/scap_scan.cc", "src/scry_decode.cc", "src/read_positions.cc"],
      "dependencies": ["zstd_decompress"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "cflags_cc!": ["-fno-rtti"]
    },
    {
      "target_name": "zstd_decompress",
      "type": "static_library",
      "sources": [
        "<(zstd_lib)/common/debug.c",
        "<(zstd_lib)/common/entropy_common.c",
        "<(zstd_lib)/common/error_private.c",
        "<(zstd_lib)/common/fse_decompress.c",
        "<(zstd_lib)/common/xxhash.c",
        "<(zstd_lib)/common/zstd_common.c",
        "<(zstd_lib)/decompress/huf_decompress.c",
        "<(zstd_lib)/decompress/huf_decompress_amd64.S",
        "<(zstd_lib)/decompress/zstd_ddict.c",
        "<(zstd_lib)/decompress/zstd_decompress.c",
        "<(zstd_lib)/decompress/zstd_decompress_block.c"
      ],
      "defines": ["XXH_NAMESPACE=SCRY_ZSTD_", "ZSTD_NO_TRACE", "ZSTDLIB_VISIBLE=", "ZSTDERRORLIB_VISIBLE="],
      "cflags": ["-O2", "-fvisibility=hidden", "-fPIC"],
      "direct_dependent_settings": { "include_dirs": ["<(zstd_lib)"] }
    }
  ]
}
