/* embed: build-time helper writing a file's bytes as a C array definition.
 * usage: embed SYMBOL FILE > out.c */
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: embed SYMBOL FILE\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    printf("#include <stddef.h>\nconst char %s[] = {", argv[1]);
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF)
        printf("%s%d,", n++ % 16 ? "" : "\n    ", c);
    printf("\n    0};\nconst size_t %s_len = %zu;\n", argv[1], n);
    fclose(f);
    return ferror(stdout) ? 1 : 0;
}
