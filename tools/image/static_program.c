// A statically linked program for image_test: build_image.sh must accept an
// executable that ldd calls "not a dynamic executable".
int main(void) { return 0; }
