// The translation unit the precompiled headers are built with (lib/CMakeLists.txt).
