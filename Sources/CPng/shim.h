#include <png.h>

// libpng's simplified reading API (png_image_*) reports errors in its return value and `message`
// instead of longjmp, which Swift cannot catch. The format macros combine other macros, so they are
// named here as constants Swift imports.
static const unsigned int cpng_format_rgba = PNG_FORMAT_RGBA;
static const unsigned int cpng_image_version = PNG_IMAGE_VERSION;
